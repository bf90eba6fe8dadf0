-- plant.lua: how a scenario runs by default.
--
-- Pallets of a product arrive at its source dock (the scenario's
-- arrivals: every `every`, in `batch`es, products drawn by the mix) and
-- are put away in the racks; orders (the scenario's order list) take
-- them out to the product's sink dock, oldest first, as soon as stock is
-- there. Each move is a transport task for the dispatcher
-- (dispatch.lua), and every forklift and AGV runs its behaviour
-- (forklift.lua, agv.lua, or the fleet entry's own `behaviour`). Other
-- agents stay at home: production comes with the production model.
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
-- (shop.release): released when it appears, complete when the pallet is
-- stored or the line shipped, so a warehouse run has throughput and lead
-- times too.
--
-- Products with a routing are made: each arrival or order unit releases
-- a job into the production model (stations.h), which moves it through
-- the stations of its routing. One process per station slot takes the
-- next job, gathers the operation's crew (crew.lua; arms, humanoids and
-- workers run arm.lua, humanoid.lua, worker.lua or their fleet entry's
-- own behaviour), has the station work it, releases the crew and hands
-- the unit on. Which job a station takes next is first come, first
-- served, unless the scenario's dispatch module (demand.dispatch) has a
-- `sequence(station, queue)` that returns the number of the job to take.
--
-- A product with a `transport` has its units carried: from its source
-- dock to the first station, between stations and to its sink dock.
-- When a unit has a place to go, the model books the move (the unit
-- waits where it is, its station blocked if it has no output buffer);
-- a vehicle move is a task for the dispatcher like a pallet's, a move by
-- people is a crew (crew.lua) that walks to the unit and carries it.

local dispatch = require("dispatch")
local crew = require("crew")

local M = {}

function M.start(options)
  options = options or {}
  -- the scenario's demand.dispatch: a rule of dispatch.lua by name, or a module of its own
  local rule = options.rule or shop.dispatch_rule()
  if type(rule) == "string" and not dispatch.rules[rule] then rule = require(rule) end
  -- which job a station takes next: the rule module's `sequence(station, queue)` (a job number),
  -- else first come, first served
  local sequence = options.sequence or (type(rule) == "table" and rule.sequence)
  local plant = {dispatch = dispatch.new(rule), crews = crew.new(), chargers = {}}
  for _, c in ipairs(shop.chargers()) do
    c.spots = sim.resource{capacity = c.slots, name = "charger " .. c.name}
    plant.chargers[#plant.chargers + 1] = c
  end
  local item, products = {}, {}
  for i, p in ipairs(shop.products()) do
    item[p.name] = i
    products[p.name] = p
  end

  local received, shipped = sim.level("pallets received"), sim.level("pallets shipped")
  local in_racks, in_transit = sim.level("pallets in racks"), sim.level("pallets in transit")
  local put_away_time, order_time = sim.tally("put-away time"), sim.tally("order line time")
  local backlog = {} -- per product: order lines waiting for stock, oldest first
  local stored_wait = sim.level("order lines waiting for stock")
  local no_room = {} -- pallets at their dock waiting for a free cell, oldest first
  local room_wait = sim.level("pallets waiting for space")

  local cranes = {} -- one per AS/RS rack, made when first needed
  local function crane(cell)
    local c = cranes[cell.rack]
    if not c then
      c = sim.resource{capacity = 1, name = "crane of rack " .. cell.rack}
      cranes[cell.rack] = c
    end
    return c
  end

  local function books()
    local r, s, k, t = received:value(), shipped:value(), in_racks:value(), in_transit:value()
    if r ~= s + k + t then
      error(string.format("pallets lost: received %d, in racks %d, shipped %d, in transit %d", r, k, s, t))
    end
  end

  -- An order line for one pallet of `name`: reserve the oldest reachable one, or wait for stock.
  local function retrieve(name, line)
    local p = products[name]
    local cell = shop.retrieve(item[name])
    if not cell then
      backlog[name] = backlog[name] or {}
      table.insert(backlog[name], line)
      stored_wait:add(1)
      return
    end
    local task = {kind = "retrieve", product = name, cell = cell, from = cell.place, to = p.sink,
                  pick_height = cell.height, drop_height = 0, mass = p.mass, created = line.created,
                  job = line.job}
    if not cell.asrs then
      plant.dispatch:submit(task)
      return
    end
    task.pick_height = 0
    sim.spawn("crane out", function() -- the crane brings the load to the input/output point
      local c = crane(cell)
      c:acquire()
      sim.wait(shop.crane_cycle(cell))
      c:release()
      plant.dispatch:submit(task)
    end)
  end

  local put_away -- forward: a pallet at its dock gets a cell and a task

  function plant.picked(task)
    if task.kind == "move" then -- a unit of a product's transport
      shop.pickup(task.job)
      return
    end
    if task.kind == "retrieve" then
      shop.taken(task.cell)
      in_racks:add(-1)
      in_transit:add(1)
      if #no_room > 0 then -- a cell is free again: the oldest pallet waiting for one gets it
        room_wait:add(-1)
        put_away(table.remove(no_room, 1))
      end
    end
    books()
  end

  local function stored(task)
    shop.stored(task.cell, item[task.product])
    in_transit:add(-1)
    in_racks:add(1)
    put_away_time:add(sim.now() - task.created)
    if task.job then shop.complete(task.job) end
    local waiting = backlog[task.product]
    if waiting and #waiting > 0 then
      stored_wait:add(-1)
      retrieve(task.product, table.remove(waiting, 1))
    end
    books()
  end

  function plant.dropped(task)
    if task.kind == "move" then
      shop.deliver(task.job)
      return
    end
    if task.kind == "put_away" and task.cell.asrs then
      sim.spawn("crane in", function() -- the crane takes it from the input point into its cell
        local c = crane(task.cell)
        c:acquire()
        sim.wait(shop.crane_cycle(task.cell))
        c:release()
        stored(task)
      end)
    elseif task.kind == "put_away" then
      stored(task)
    else
      in_transit:add(-1)
      shipped:add(1)
      order_time:add(sim.now() - task.created)
      if task.job then shop.complete(task.job) end
    end
    books()
  end

  put_away = function(pallet)
    local cell = shop.put_away(products[pallet.product].class)
    if not cell then -- the racks are full: it waits at the dock until a retrieval frees a cell
      table.insert(no_room, pallet)
      room_wait:add(1)
      return
    end
    plant.dispatch:submit{kind = "put_away", product = pallet.product, cell = cell,
                          from = products[pallet.product].source, to = cell.place,
                          pick_height = 0, drop_height = cell.asrs and 0 or cell.height,
                          mass = products[pallet.product].mass, created = pallet.created, job = pallet.job}
  end

  -- A pallet arrives at its dock: it is in the books (in transit) from now on.
  -- A unit of a product with a routing is a job for the stations instead.
  local function arrive(name, due)
    if products[name].routed then
      shop.release(name, due)
      return
    end
    assert(products[name].source, "product '" .. name .. "' has no source dock")
    received:add(1)
    in_transit:add(1)
    put_away{product = name, created = sim.now(), job = shop.release(name, due)}
    books()
  end

  for _, a in ipairs(shop.arrivals()) do
    local mix = sim.rng("mix." .. a.name)
    local total = 0
    for _, m in ipairs(a.mix) do total = total + m.weight end
    sim.spawn("arrivals " .. a.name, function()
      sim.wait(a.start)
      while true do
        sim.wait(shop.next_arrival(a.index))
        if a.stop and sim.now() > a.stop then return end
        local u, pick = mix:random() * total, a.mix[#a.mix].product
        for _, m in ipairs(a.mix) do
          if u < m.weight then pick = m.product break end
          u = u - m.weight
        end
        for _ = 1, a.batch do arrive(pick, a.due_in and sim.now() + a.due_in) end
      end
    end)
  end

  for _, o in ipairs(shop.orders()) do
    sim.spawn("order " .. o.name, function()
      sim.wait(o.at)
      for _ = 1, o.quantity do
        if products[o.product].routed then
          shop.release(o.product, o.due)
        else
          retrieve(o.product, {created = sim.now(), job = shop.release(o.product, o.due)})
        end
      end
    end)
  end

  -- production: one process per station slot
  local routing, crews_needed, carried = {}, false, false
  for _, p in ipairs(shop.products()) do
    routing[p.name] = p.routing
    for _, op in ipairs(p.routing) do crews_needed = crews_needed or #op.crew > 0 end
    -- a product's transport (below): people carrying are crews too
    carried = carried or p.transport ~= nil
    crews_needed = crews_needed or p.carried_by == "people"
  end
  crews_needed = crews_needed or shop.repairs_need_crews()

  -- moves of units by carrier (a product's `transport`): a vehicle's task for the dispatcher, or a
  -- crew of people gathered where the unit waits, who carry it over
  -- Carries by several people are gathered one at a time: two of them each holding part of what
  -- they need would wait for each other for good, so they gather in turn.
  local team_gathering = sim.resource{capacity = 1, name = "carries gathering a team"}
  local function carry(m)
    local size = 0
    for _, need in ipairs(m.carrier) do size = size + need.count end
    if size > 1 then team_gathering:acquire() end
    local _, held = plant.crews:gather({name = "carry", crew = m.carrier}, {name = m.from, place = m.from},
                                       {number = m.job}, m.to)
    if size > 1 then team_gathering:release() end
    shop.pickup(m.job)
    plant.crews:carry(held)
    shop.deliver(m.job)
    plant.crews:release(held)
  end
  if carried then
    sim.spawn("moves", function()
      while true do
        local m = shop.next_move()
        if m.by == "vehicle" then
          plant.dispatch:submit{kind = "move", product = m.product, from = m.from, to = m.to, pick_height = 0,
                                drop_height = 0, mass = m.mass, job = m.job, carrier = m.carrier[1]}
        else
          sim.spawn("carry job " .. m.job, carry, m)
        end
      end
    end)
  end
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
          shop.work(i, k, agents)
          if held then plant.crews:release(held) end
          if shop.slot_result(i, k) == "good" then shop.unload(i, k) end
        end
      end)
    end
  end

  -- repairs that need a crew (a failure's `crew`): one process takes them in order of failure
  local stations = shop.stations()
  if #stations > 0 then
    sim.spawn("repairs", function()
      while true do
        local r = shop.next_repair()
        sim.spawn("repair of " .. stations[r.station].name, function()
          local job = {number = 0}
          local agents, held = plant.crews:gather({name = "repair " .. r.failure, crew = r.crew, skill = r.skill},
                                                  stations[r.station], job)
          shop.repair(r.mode, agents)
          plant.crews:release(held)
        end)
      end
    end)
  end

  for _, agent in ipairs(shop.agents()) do
    local kind = agent:kind()
    if kind == "forklift" or kind == "agv" or agent:behaviour() ~= kind or crews_needed then
      sim.spawn(agent:name(), require(agent:behaviour()), agent, plant)
    end
    -- an agent that fails is passed over until repaired, then offered the work that waited
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
  return plant
end

return M
