-- plant.lua: how a scenario runs by default, wired from its parts.
--
--   warehouse.lua   the pallets' books, put-away and retrieval, AS/RS cranes
--   demand.lua      the scenario's arrivals and orders, as processes
--   production.lua  one process per station slot, the carries of units, repairs by crews
--   dispatch.lua    which vehicle does which transport task
--   crew.lua        who works an operation, carries a unit or repairs a failure
--
-- Every forklift and AGV runs its behaviour (forklift.lua, agv.lua, or
-- the fleet entry's own `behaviour`); arms, humanoids and workers do
-- when a crew may need them (or their fleet entry names a behaviour).
-- An agent that can fail is passed over until repaired, then offered the
-- work that waited.
--
-- The order in which things are made is part of the results (statistics
-- are reported in that order, processes spawned at one time run in that
-- order): chargers, the warehouse's books, arrivals, orders, production,
-- then the agents.

local dispatch = require("dispatch")
local crew = require("crew")
local warehouse = require("warehouse")
local demand = require("demand")
local production = require("production")

local M = {}

-- The scenario's demand.dispatch: a rule of dispatch.lua by name, or a module of its own. Which job
-- a station takes next: the rule module's `sequence(station, queue)` (a job number), else first come.
local function rules(options)
  local rule = options.rule or shop.dispatch_rule()
  if type(rule) == "string" and not dispatch.rules[rule] then rule = require(rule) end
  return rule, options.sequence or (type(rule) == "table" and rule.sequence)
end

-- The chargers, each with a resource of its slots, shared by every vehicle and humanoid.
local function chargers()
  local list = {}
  for _, c in ipairs(shop.chargers()) do
    c.spots = sim.resource{capacity = c.slots, name = "charger " .. c.name}
    list[#list + 1] = c
  end
  return list
end

-- The products by name and their item ids (their index in shop.products()).
local function catalogue()
  local item, products = {}, {}
  for i, p in ipairs(shop.products()) do
    item[p.name] = i
    products[p.name] = p
  end
  return products, item
end

-- Each agent's behaviour, and for those that can fail a process offering them work again after repairs.
local function agents(plant, crews_needed)
  for _, agent in ipairs(shop.agents()) do
    local kind = agent:kind()
    if kind == "forklift" or kind == "agv" or agent:behaviour() ~= kind or crews_needed then
      sim.spawn(agent:name(), require(agent:behaviour()), agent, plant)
    end
    local vehicle = kind == "forklift" or kind == "agv"
    if (vehicle or crews_needed) and agent:can_fail() then
      local offers = vehicle and plant.dispatch or plant.crews
      sim.spawn("repairs of " .. agent:name(), function()
        while true do
          agent:repaired()
          offers:repaired(agent)
        end
      end)
    end
  end
end

local current -- the plant started, for rush orders during the run

-- A rush order during the run (experiment/interventions.h): `quantity` units of product number
-- `index` (in shop.products()) now, released as an order of the scenario releases them.
function M.rush(index, quantity)
  assert(current, "plant: a rush order before the plant started")
  local name = shop.products()[index].name
  for _ = 1, quantity do
    if current.products[name].routed then
      shop.release(name)
    else
      current.stock:order(name)
    end
  end
end

-- Tending during the run (experiment/interventions.h): agent number `index` (in shop.agents())
-- works only at station number `station` (in shop.stations()) and waits there; nil: anywhere again.
function M.tend(index, station)
  assert(current, "plant: tending before the plant started")
  current.crews:tend(shop.agents()[index], station and shop.stations()[station])
end

-- A transport instruction during the run (experiment/interventions.h): agent number `index` (in
-- shop.agents()) alone moves `n` pallets of product number `product` from `from` to `to`
-- ({rack = i, name = ...}, {dock = name} or {station = name}; warehouse.lua, M:bring).
function M.bring(index, n, product, from, to)
  assert(current, "plant: a transport instruction before the plant started")
  current.stock:bring(shop.agents()[index], n, shop.products()[product].name, from, to)
end

function M.start(options)
  options = options or {}
  local rule, sequence = rules(options)
  local products, item = catalogue()
  local tasks = false -- vehicles get tasks: stored goods to move, or units carried by vehicles
  for _, p in pairs(products) do tasks = tasks or not p.routed or p.carried_by == "vehicle" end
  local plant = {dispatch = dispatch.new(rule, tasks), crews = crew.new()}
  plant.chargers = chargers()
  local stock = warehouse.new(plant.dispatch, products, item)
  function plant.picked(task) stock:picked(task) end
  function plant.dropped(task) stock:dropped(task) end
  function plant.claimed_move(task) return stock:claimed_move(task) end
  demand.start(stock, products)
  local crews_needed = production.start(plant, sequence)
  agents(plant, crews_needed)
  current = {products = products, stock = stock, crews = plant.crews}
  return plant
end

return M
