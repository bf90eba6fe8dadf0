-- warehouse.lua: the books of the pallets, their put-away and retrieval.
--
-- Pallets of a product arrive at its source dock and are put away in the
-- racks; order lines take them out to the product's sink dock, oldest
-- first, as soon as stock is there. Each move is a transport task for
-- the dispatcher (plant.dispatch, dispatch.lua); the vehicle that does it
-- calls plant.picked and plant.dropped, which come here.
--
-- Cells in an AS/RS are served by its crane: vehicles drop loads at the
-- AS/RS input point (floor level) and the crane stores them, one cycle
-- (the rack's cycle_time) each; for an order line the crane brings the
-- load out to that point first, then a vehicle takes it.
--
-- The books are checked at every step: received = stored + shipped + in
-- transit. A run that breaks them stops with an error.
--
-- Every pallet received and every order line is a job of the model
-- (shop.release, flow "stored" or "shipped"): released when it appears,
-- complete when the pallet is stored or the line shipped. The metrics
-- count these pallets apart from made products (docs/results.md).

local M = {}
M.__index = M

-- First in, first out, taken from the front without shifting the rest (an overloaded plant
-- keeps tens of thousands waiting, and table.remove(list, 1) moves every one of them).
local function fifo() return {head = 1, tail = 0} end
local function push(q, x) q.tail = q.tail + 1; q[q.tail] = x end
local function pop(q)
  local x = q[q.head]
  q[q.head] = nil
  q.head = q.head + 1
  return x
end
local function size(q) return q.tail - q.head + 1 end

-- A warehouse over `products` (by name, from shop.products()) and `item` (product name -> item id),
-- submitting its tasks to `dispatch`. Its levels and tallies are made now, in this order, when the
-- plant has stored goods (a product without a routing); a plant that has none keeps no pallet books
-- and shows no empty warehouse tables (nothing here is called for it: demand.lua sends routed
-- products to the stations, and vehicles' moves of units return before the books).
function M.new(dispatch, products, item)
  local w = setmetatable({dispatch = dispatch, products = products, item = item}, M)
  local goods = false
  for _, p in pairs(products) do goods = goods or not p.routed end
  if not goods then return w end
  w.received, w.shipped = sim.level("pallets received"), sim.level("pallets shipped")
  w.in_racks, w.in_transit = sim.level("pallets in racks"), sim.level("pallets in transit")
  w.put_away_time, w.order_time = sim.tally("put-away time"), sim.tally("order line time")
  w.backlog = {} -- per product: order lines waiting for stock, oldest first
  w.stored_wait = sim.level("order lines waiting for stock")
  w.no_room = fifo() -- pallets at their dock waiting for a free cell, oldest first
  w.room_wait = sim.level("pallets waiting for space")
  w.cranes = {} -- one per AS/RS rack, made when first needed
  return w
end

function M:crane(cell)
  local c = self.cranes[cell.rack]
  if not c then
    c = sim.resource{capacity = 1, name = "crane of rack " .. cell.rack}
    self.cranes[cell.rack] = c
  end
  return c
end

function M:books()
  local r, s, k, t = self.received:value(), self.shipped:value(), self.in_racks:value(), self.in_transit:value()
  if r ~= s + k + t then
    error(string.format("pallets lost: received %d, in racks %d, shipped %d, in transit %d", r, k, s, t))
  end
end

-- An order line for one pallet of `name`: reserve the oldest reachable one, or wait for stock.
function M:retrieve(name, line)
  local p = self.products[name]
  local cell = shop.retrieve(self.item[name])
  if not cell then
    self.backlog[name] = self.backlog[name] or fifo()
    push(self.backlog[name], line)
    self.stored_wait:add(1)
    return
  end
  local task = {kind = "retrieve", product = name, cell = cell, from = cell.place, to = p.sink,
                pick_height = cell.height, drop_height = 0, mass = p.mass, created = line.created,
                job = line.job}
  if not cell.asrs then
    self.dispatch:submit(task)
    return
  end
  task.pick_height = 0
  sim.spawn("crane out", function() -- the crane brings the load to the input/output point
    local c = self:crane(cell)
    c:acquire()
    sim.wait(shop.crane_cycle(cell))
    c:release()
    self.dispatch:submit(task)
  end)
end

-- A pallet at its dock gets a cell and a task; with the racks full it waits at the dock until a
-- retrieval frees a cell.
function M:put_away(pallet)
  local p = self.products[pallet.product]
  local cell = shop.put_away(p.class)
  if not cell then
    push(self.no_room, pallet)
    self.room_wait:add(1)
    return
  end
  self.dispatch:submit{kind = "put_away", product = pallet.product, cell = cell, from = p.source, to = cell.place,
                       pick_height = 0, drop_height = cell.asrs and 0 or cell.height, mass = p.mass,
                       created = pallet.created, job = pallet.job}
end

-- A pallet of `name` arrives at its dock: it is in the books (in transit) from now on.
function M:arrive(name, due)
  assert(self.products[name].source, "product '" .. name .. "' has no source dock")
  self.received:add(1)
  self.in_transit:add(1)
  self:put_away{product = name, created = sim.now(), job = shop.release(name, due, "stored")}
  self:books()
end

-- An order line of `name` due at `due`: a job, and a retrieval of its pallet.
function M:order(name, due)
  self:retrieve(name, {created = sim.now(), job = shop.release(name, due, "shipped")})
end

function M:stored(task)
  shop.stored(task.cell, self.item[task.product])
  self.in_transit:add(-1)
  self.in_racks:add(1)
  self.put_away_time:add(sim.now() - task.created)
  if task.job then shop.complete(task.job) end
  local waiting = self.backlog[task.product]
  if waiting and size(waiting) > 0 then
    self.stored_wait:add(-1)
    self:retrieve(task.product, pop(waiting))
  end
  self:books()
end

-- A vehicle has picked up a task's load (plant.picked).
function M:picked(task)
  if task.kind == "move" then -- a unit of a product's transport
    shop.pickup(task.job)
    return
  end
  if task.kind == "retrieve" then
    shop.taken(task.cell)
    self.in_racks:add(-1)
    self.in_transit:add(1)
    if size(self.no_room) > 0 then -- a cell is free again: the oldest pallet waiting for one gets it
      self.room_wait:add(-1)
      self:put_away(pop(self.no_room))
    end
  end
  self:books()
end

-- A vehicle has set a task's load down (plant.dropped).
function M:dropped(task)
  if task.kind == "move" then
    shop.deliver(task.job)
    return
  end
  if task.kind == "put_away" and task.cell.asrs then
    sim.spawn("crane in", function() -- the crane takes it from the input point into its cell
      local c = self:crane(task.cell)
      c:acquire()
      sim.wait(shop.crane_cycle(task.cell))
      c:release()
      self:stored(task)
    end)
  elseif task.kind == "put_away" then
    self:stored(task)
  else
    self.in_transit:add(-1)
    self.shipped:add(1)
    self.order_time:add(sim.now() - task.created)
    if task.job then shop.complete(task.job) end
  end
  self:books()
end

return M
