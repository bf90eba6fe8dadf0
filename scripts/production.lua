-- production.lua: the stations' processes, the carries and the repairs.
--
-- Products with a routing are made: each unit released (demand.lua) is a
-- job of the production model (stations.h), which moves it through the
-- stations of its routing. One process per station slot takes the next
-- job, gathers the operation's crew (crew.lua; arms, humanoids and
-- workers run arm.lua, humanoid.lua, worker.lua or their fleet entry's
-- own behaviour), has the station work it, releases the crew and hands
-- the unit on. Which job a station takes next is first come, first
-- served, unless `sequence(station, queue)` (the scenario's dispatch
-- module's) returns the number of the job to take.
--
-- A product with a `transport` has its units carried: from its source
-- dock to the first station, between stations and to its sink dock.
-- When a unit has a place to go, the model books the move (the unit
-- waits where it is, its station blocked if it has no output buffer);
-- a vehicle move is a task for the dispatcher like a pallet's, a move by
-- people is a crew (crew.lua) that walks to the unit and carries it.
--
-- Failures that need a repair crew are taken in order of failure by one
-- process, which gathers the crew for each. Supervised robots (supervise.lua)
-- each take a supervisor's place before the work and give it back after.

local supervise = require("supervise")

local M = {}

-- What the products ask of the plant: routing by product name; whether any crew is needed (an
-- operation's, people carrying, a repair's); whether any unit is carried.
function M.needs()
  local routing, crews_needed, carried = {}, false, false
  for _, p in ipairs(shop.products()) do
    routing[p.name] = p.routing
    for _, op in ipairs(p.routing) do crews_needed = crews_needed or #op.crew > 0 end
    -- a product's transport (below): people carrying are crews too
    carried = carried or p.transport ~= nil
    crews_needed = crews_needed or p.carried_by == "people"
  end
  crews_needed = crews_needed or shop.repairs_need_crews()
  return routing, crews_needed, carried
end

-- A move by people: gather the carrier's crew where the unit waits, carry it over, release them.
-- Carries by several people are gathered one at a time (`gathering`, a resource of one): two of them
-- each holding part of what they need would wait for each other for good, so they gather in turn.
local function carry(plant, gathering, m)
  local size = 0
  for _, need in ipairs(m.carrier) do size = size + need.count end
  if size > 1 then gathering:acquire() end
  local _, held = plant.crews:gather({name = "carry", crew = m.carrier}, {name = m.from, place = m.from},
                                     {number = m.job}, m.to)
  if size > 1 then gathering:release() end
  shop.pickup(m.job)
  plant.crews:carry(held)
  shop.deliver(m.job)
  plant.crews:release(held)
end

-- The process that takes each booked move, oldest first: a task for the dispatcher, or a carry.
local function moves(plant, gathering)
  sim.spawn("moves", function()
    while true do
      local m = shop.next_move()
      if m.by == "vehicle" then
        local task = {kind = "move", product = m.product, from = m.from, to = m.to, pick_height = 0,
                      drop_height = 0, mass = m.mass, job = m.job, carrier = m.carrier[1]}
        -- a transport instruction may claim it for its vehicle (warehouse.lua, M:claimed_move)
        if not (plant.claimed_move and plant.claimed_move(task)) then plant.dispatch:submit(task) end
      else
        sim.spawn("carry job " .. m.job, carry, plant, gathering, m)
      end
    end
  end)
end

-- Who with `skill` does a robot's programming (a person, a worker) or rescue (a worker or a humanoid: a
-- pair of hands at the cell) for shop.help.
local function person(part)
  if part == "rescue" then
    return {{count = 1, label = "rescuer (worker or humanoid)", kinds = {"worker", "humanoid"}, types = {}}}
  end
  return {{count = 1, label = "person (worker)", kinds = {"worker"}, types = {}}}
end

-- The slot's work, with the people its robots call: while it waits for one (shop.help), the
-- nearest free worker with the skill is gathered as a crew, walks there, does the part
-- (shop.assist) and is released; the rest of the work goes on (shop.follow).
local function work(plant, i, k, st, job, op, agents)
  shop.work(i, k, agents)
  local help = shop.help(i, k)
  while help do
    local who, held = plant.crews:gather({name = help.part .. " for " .. op.name, crew = person(help.part),
                                          skill = help.skill}, st, job)
    shop.assist(i, k, who)
    plant.crews:release(held)
    shop.follow(i, k)
    help = shop.help(i, k)
  end
end

-- One process per slot of each station: take, gather, work, release, hand on.
local function stations(plant, routing, sequence)
  for i, st in ipairs(shop.stations()) do
    for k = 1, st.slots do
      sim.spawn(string.format("station %s/%d", st.name, k), function()
        while true do
          local number
          if sequence then
            local queue = shop.queue(i)
            if #queue > 1 then number = sequence(st, queue) end
          end
          local job = shop.take(i, k, number)
          local op = routing[job.product][job.op]
          local agents, held
          if #op.crew > 0 then agents, held = plant.crews:gather(op, st, job) end
          local seats = plant.supervision:acquire(agents) -- supervise.lua: a supervisor's place each
          work(plant, i, k, st, job, op, agents)
          plant.supervision:release(seats)
          if held then plant.crews:release(held) end
          if shop.slot_result(i, k) == "good" then shop.unload(i, k) end
        end
      end)
    end
  end
end

-- Where the crew of a repair goes: the station, or, for an agent's failure, the node it stands at (an arm's
-- station) or the nearer end of the aisle it stopped on, named after the agent; the crew walks `r.walk` metres
-- on from there along the aisle (shop.repair).
local function repair_site(all, r)
  if r.station then return all[r.station], "repair of " .. all[r.station].name end
  return {name = r.agent:name(), place = r.place}, "repair of " .. r.agent:name()
end

-- Repairs that need a crew (a failure's `crew`): one process takes them in order of failure.
local function repairs(plant)
  local all = shop.stations()
  if #all == 0 and not shop.repairs_need_crews() then return end
  sim.spawn("repairs", function()
    while true do
      local r = shop.next_repair()
      local site, what = repair_site(all, r)
      sim.spawn(what, function()
        local job = {number = 0}
        local agents, held = plant.crews:gather({name = "repair " .. r.failure, crew = r.crew, skill = r.skill},
                                                site, job)
        shop.repair(r.mode, agents, r.walk)
        plant.crews:release(held)
      end)
    end
  end)
end

-- Start production for `plant` (its dispatch and crews): the carries, the stations, the repairs.
-- Returns whether any crew is needed (the agents that make crews must then run their behaviours).
function M.start(plant, sequence)
  local routing, crews_needed, carried = M.needs()
  plant.supervision = plant.supervision or supervise.new(plant.crews)
  local gathering = sim.resource{capacity = 1, name = "carries gathering a team"}
  if carried then moves(plant, gathering) end
  stations(plant, routing, sequence)
  repairs(plant)
  return crews_needed
end

return M
