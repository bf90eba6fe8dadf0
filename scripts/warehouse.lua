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
  if self:claimed(pallet) then return end
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
  if task.kind == "retrieve" or task.kind == "relocate" or task.kind == "ship" then
    shop.taken(task.cell)
    self.in_racks:add(-1)
    self.in_transit:add(1)
    local next = self:next_without_room() -- a cell is free again: the oldest pallet waiting for one gets it
    if next then self:put_away(next) end
  end
  self:books()
end

-- A vehicle has set a task's load down (plant.dropped); an instruction's counts after the books'.
function M:dropped(task)
  self:set_down(task)
  if task.instructed then self:delivered(task) end
end

function M:set_down(task)
  if task.kind == "move" then
    shop.deliver(task.job)
    return
  end
  if task.kind == "relocate" then -- an instruction's move from rack to rack
    shop.stored(task.dest, self.item[task.product])
    self.in_transit:add(-1)
    self.in_racks:add(1)
    self:books()
    return
  elseif task.kind == "ship" then -- an instruction's move from a rack to the product's sink dock
    self.in_transit:add(-1)
    self.shipped:add(1)
    self:books()
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

-- ---- transport instructions (experiment/interventions.h, docs/viewer.md) ----

-- The instructions' figures, made at the first one (a run without instructions shows no such table).
function M:instructions()
  if not self.instructed then
    self.instructed = {moved = sim.level("pallets moved by instruction"),
                       refused = sim.level("pallets of instructions refused"), claims = {}}
  end
  return self.instructed
end

-- n pallets of an instruction cannot be moved: said in the run's log and counted.
local function refuse(self, b, n, why)
  sim.log(string.format("cannot follow \"%s, bring %d pallets of %s\" for %d of them: %s",
                        b.agent:name(), b.n, b.product, n, why))
  self:instructions().refused:add(n)
  b.closed = true
  if b.taken > 0 and b.done == b.taken then self:brought(b) end
end

-- The racks' stock of an instruction's product, for its log lines: " (high_bay_1 holds 16, ...)"; "" without racks.
function M:stock(b)
  local said = {}
  for _, place in ipairs{b.from, b.to} do
    if place.rack then
      said[#said + 1] = string.format("%s holds %d", place.name, shop.rack_count(place.rack, self.item[b.product]))
    end
  end
  return #said > 0 and " (" .. table.concat(said, ", ") .. ")" or ""
end

-- What an instruction moves: units of a made product, pallets of a stored good.
local function loads(self, name) return self.products[name].routed and "units" or "pallets" end

-- A transport's place by name: a rack's, a dock's or a station's.
local function place_name(place) return place.name or place.dock or place.station end

function M:brought(b)
  sim.log(string.format("%s brought %d of %d %s of %s%s", b.agent:name(), b.done, b.n, loads(self, b.product),
                        b.product, self:stock(b)))
end

-- A pallet of an instruction has been set down by its vehicle: at the last one, the log says so.
function M:delivered(task)
  local b = task.instructed
  self:instructions().moved:add(1)
  b.done = b.done + 1
  if b.closed and b.done == b.taken then self:brought(b) end
end

-- Pallet `pallet` at its product's source dock goes with instruction b: put away by b's vehicle
-- into `cell` of b's rack. At the last of b's pallets, b takes no more.
function M:take_for(b, pallet, cell)
  b.taken = b.taken + 1
  if b.taken == b.n then b.closed = true end
  local p = self.products[pallet.product]
  self.dispatch:assign(b.agent, {kind = "put_away", product = pallet.product, cell = cell, from = p.source,
                                 to = cell.place, pick_height = 0, drop_height = cell.height, mass = p.mass,
                                 created = pallet.created, job = pallet.job, instructed = b})
end

-- The next pallet of a product arriving at its dock, when an instruction claims it: put away by the
-- instruction's vehicle into the instruction's rack (a full rack refuses the rest of the claim).
function M:claimed(pallet)
  local claims = self.instructed and self.instructed.claims[pallet.product]
  local b = claims and claims[1]
  if not b then return false end
  local cell = shop.put_away_in(b.to.rack, b.agent:lift_height() + 1e-9)
  if not cell then
    refuse(self, b, b.n - b.taken, "no free cell in " .. b.to.name .. " within its reach")
    table.remove(claims, 1)
    return false
  end
  self:take_for(b, pallet, cell)
  if b.closed then table.remove(claims, 1) end
  return true
end

-- The pallets of `name` waiting at its source dock now, oldest first: those whose put-away no
-- vehicle has taken yet (each {task = ...}) and those waiting for a free cell (each {k = place in
-- no_room}). Ties in age keep the order they came in (tasks, then the waiting ones).
function M:at_dock(name)
  local list = {}
  for _, task in ipairs(self.dispatch:pending_at(self.products[name].source)) do
    if task.kind == "put_away" and task.product == name and not task.instructed then
      list[#list + 1] = {task = task, created = task.created, i = #list}
    end
  end
  for k = self.no_room.head, self.no_room.tail do
    local pallet = self.no_room[k]
    if pallet and pallet.product == name then list[#list + 1] = {k = k, created = pallet.created, i = #list} end
  end
  table.sort(list, function(a, c) return a.created < c.created or (a.created == c.created and a.i < c.i) end)
  return list
end

-- Take waiting pallet w (of M:at_dock) out of its queue for instruction b, into `cell`. True when
-- it frees the cell its put-away had reserved.
function M:take_waiting(b, w, cell)
  local pallet = w.task
  if w.task then
    self.dispatch:withdraw(w.task)
    shop.cancel_put(w.task.cell)
  else
    pallet = self.no_room[w.k]
    self.no_room[w.k] = false -- a hole, skipped when it reaches the front (M:next_without_room)
    self.room_wait:add(-1)
  end
  self:take_for(b, pallet, cell)
  return w.task ~= nil
end

-- The oldest pallet waiting for a free cell, out of its queue (nil: none).
function M:next_without_room()
  while size(self.no_room) > 0 do
    local pallet = pop(self.no_room)
    if pallet then
      self.room_wait:add(-1)
      return pallet
    end
  end
end

-- Instruction b from its product's source dock: the pallets waiting there now, oldest first, then
-- (claims) the next that arrive. False, with the reason, when the rack has no room for one.
-- The cells freed go to the oldest pallets waiting for space, once b has taken its own.
function M:from_dock(b)
  local reach, freed, why = b.agent:lift_height() + 1e-9, 0, nil
  local waiting = self:at_dock(b.product)
  for _, w in ipairs(waiting) do
    if b.taken == b.n then break end
    local cell = shop.put_away_in(b.to.rack, reach)
    if not cell then
      why = "no free cell in " .. b.to.name .. " within its reach"
      break
    end
    if self:take_waiting(b, w, cell) then freed = freed + 1 end
  end
  if b.taken > 0 then
    sim.log(string.format("%s takes the oldest %d of the %d pallets of %s waiting at %s (received from %.0f s to %.0f s)",
                          b.agent:name(), b.taken, #waiting, b.product, b.from.dock, waiting[1].created,
                          waiting[b.taken].created))
  end
  if not why and b.taken < b.n then
    local claims = self.instructed.claims
    claims[b.product] = claims[b.product] or {}
    table.insert(claims[b.product], b)
  end
  for _ = 1, freed do
    local next = self:next_without_room()
    if next then self:put_away(next) end
  end
  return not why, why
end

-- One pallet of instruction b from its rack: to a cell of its destination rack, or to its sink dock.
-- False when the source has no more such pallets within reach, or the destination no more room.
function M:bring_one(b, reach)
  local p, dest = self.products[b.product], nil
  if b.to.rack then
    dest = shop.put_away_in(b.to.rack, reach)
    if not dest then return false, "no free cell in " .. b.to.name .. " within its reach" end
  end
  local cell = shop.retrieve_from(b.from.rack, reach, self.item[b.product])
  if not cell then
    if dest then shop.cancel_put(dest) end
    return false, "no more pallets of " .. b.product .. " in " .. b.from.name .. " within its reach"
  end
  self.dispatch:assign(b.agent, {kind = dest and "relocate" or "ship", product = b.product, cell = cell,
                                 dest = dest, from = cell.place, to = dest and dest.place or b.to.dock,
                                 pick_height = cell.height, drop_height = dest and dest.height or 0,
                                 mass = p.mass, instructed = b})
  return true
end

-- A unit's move (production.lua) that an instruction claims: carried by the instruction's vehicle.
function M:take_move(b, task)
  b.taken = b.taken + 1
  if b.taken == b.n then b.closed = true end
  task.instructed = b
  self.dispatch:assign(b.agent, task)
end

-- Units of a made product along its routing, from b.from to b.to (a station's input buffer, or the
-- sink dock): the moves between them waiting for a vehicle now, oldest first, then the next the
-- plant books (M:claimed_move), each carried by b's vehicle.
function M:bring_units(b)
  b.move_from, b.move_to = place_name(b.from), place_name(b.to)
  local waiting = 0
  for _, task in ipairs(self.dispatch:pending_at(b.move_from)) do
    if b.taken == b.n then break end
    if task.kind == "move" and task.product == b.product and task.to == b.move_to and not task.instructed then
      self.dispatch:withdraw(task)
      self:take_move(b, task)
      waiting = waiting + 1
    end
  end
  if waiting > 0 then
    sim.log(string.format("%s takes the oldest %d units of %s waiting at %s for %s", b.agent:name(), waiting, b.product,
                          b.move_from, b.move_to))
  end
  if b.taken < b.n then
    local claims = self.instructed.claims
    claims[b.product] = claims[b.product] or {}
    table.insert(claims[b.product], b)
  end
end

-- A unit's move booked by the plant: true when an instruction claims it (the first for that product
-- between those places), which hands it to the instruction's vehicle.
function M:claimed_move(task)
  local claims = self.instructed and self.instructed.claims[task.product]
  for k, b in ipairs(claims or {}) do
    if b.move_from == task.from and b.move_to == task.to then
      self:take_move(b, task)
      if b.closed then table.remove(claims, k) end
      return true
    end
  end
  return false
end

-- Vehicle `agent` alone moves n pallets of product `name` from `from` to `to` ({rack = i, name = ...}
-- or {dock = name}): from a rack, the oldest there now; from the product's source dock, the pallets
-- waiting there now (oldest first), then the next that arrive, put away into the destination rack.
-- Units of a made product go along its routing ({station = name} or {dock = name}: M:bring_units).
-- What cannot be moved is refused in the log.
function M:bring(agent, n, name, from, to)
  local b = {agent = agent, n = n, product = name, from = from, to = to, taken = 0, done = 0}
  self:instructions()
  sim.log(string.format("%s, bring %d %s of %s from %s to %s%s", agent:name(), n, loads(self, name), name,
                        place_name(from), place_name(to), self:stock(b)))
  if agent:gone() then return refuse(self, b, n, agent:name() .. " has left the plant") end
  if self.products[name].mass > agent:payload() then
    return refuse(self, b, n, "a pallet is heavier than " .. agent:name() .. " can carry")
  end
  if self.products[name].routed then return self:bring_units(b) end
  if from.dock then
    local ok, why = self:from_dock(b)
    if not ok then refuse(self, b, n - b.taken, why) end
    return
  end
  local reach = agent:lift_height() + 1e-9
  while b.taken < n do
    local ok, why = self:bring_one(b, reach)
    if not ok then return refuse(self, b, n - b.taken, why) end
    b.taken = b.taken + 1
  end
  b.closed = true
end

return M
