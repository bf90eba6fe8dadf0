-- dispatch.lua: which vehicle does which transport task.
--
-- A dispatcher holds the tasks nobody has taken yet and the vehicles that
-- wait for work. A new task goes to a waiting vehicle chosen by the rule;
-- a vehicle that asks for work gets a pending task chosen by the rule, or
-- waits. Only vehicles that can do a task get it (a pallet on the third
-- level needs forks that reach that high; a heavy one, enough payload;
-- a task with a `carrier` need, one of the kinds or fleet entries named;
-- a vehicle under repair gets nothing until it is back; one removed from the plant during
-- the run, nothing more).
--
-- Rules:
--   "nearest" (default): the waiting vehicle nearest the pickup; for a
--             vehicle asking, the pending task with the nearest pickup;
--   "oldest": the vehicle that has waited longest; the oldest task.
-- A scenario's own rule is a table {vehicle = f(task, waiting), task = f(agent, pending)}
-- whose functions return an index into the list they are given (or nil for none); they should
-- offer only pairs for which `dispatch.can(agent, task)` holds (reach, payload, the carriers a
-- product's transport names, not under repair).

local M = {}

-- Is the agent one the task's `carrier` need names (a kind or a fleet entry)? Any, without one.
local function named(agent, need)
  if not need then return true end
  for _, k in ipairs(need.kinds) do
    if k == agent:kind() then return true end
  end
  for _, t in ipairs(need.types) do
    if t == agent:type() then return true end
  end
  return false
end

-- What a vehicle can carry never changes: asked once per agent (the rules ask for every pairing).
local props = setmetatable({}, {__mode = "k"})
local function props_of(agent)
  local p = props[agent]
  if not p then
    p = {reach = agent:lift_height() + 1e-9, payload = agent:payload(), fails = agent:can_fail()}
    props[agent] = p
  end
  return p
end

local function can(agent, task)
  local p = props_of(agent)
  return (task.pick_height or 0) <= p.reach and (task.drop_height or 0) <= p.reach
     and (task.mass or 0) <= p.payload and (not task.carrier or named(agent, task.carrier))
     and not (p.fails and agent:down()) -- under repair: another vehicle, or this one once repaired
     and not agent:gone() -- removed from the plant during the run
end

M.can = can

-- Route lengths between places, asked of the model once per pair (the network does not change
-- during a run); false where there is no route.
local lengths = {}
local function length(a, b)
  local row = lengths[a]
  if not row then row = {}; lengths[a] = row end
  local d = row[b]
  if d == nil then d = shop.distance(a, b) or false; row[b] = d end
  return d
end

M.rules = {
  nearest = {
    vehicle = function(task, waiting)
      local best, best_d
      for i, w in ipairs(waiting) do
        if can(w.agent, task) then
          local d = length(w.agent:node(), task.from)
          if d and (not best_d or d < best_d) then best, best_d = i, d end
        end
      end
      return best
    end,
    task = function(agent, pending)
      local best, best_d
      for i, t in ipairs(pending) do
        if can(agent, t) then
          local d = length(agent:node(), t.from)
          if d and (not best_d or d < best_d) then best, best_d = i, d end
        end
      end
      return best
    end,
  },
  oldest = {
    vehicle = function(task, waiting)
      for i, w in ipairs(waiting) do
        if can(w.agent, task) then return i end
      end
    end,
    task = function(agent, pending)
      for i, t in ipairs(pending) do
        if can(agent, t) then return i end
      end
    end,
  },
}

-- Items (tasks waiting for a vehicle, vehicles waiting for a task) queued by place, each place
-- in the order its items came. For a place `origin`, the places with queues are kept sorted by
-- route length `dist(origin, place)`; `take` walks them from the nearest, takes at each the first
-- item `accept` allows, and stops past the nearest such item, preferring among items as near the
-- one that came first. That is the "nearest" rule over the whole list (nearest first, the
-- earliest among ties), at a cost that follows neither the number of items nor of places.
local function nearest_queues(dist)
  local p = {queues = {}, seq = 0}
  local places, sorted = {}, {} -- places with a queue; origin -> {{place, length}...} ascending

  local function insert(list, place, d)
    local lo, hi = 1, #list + 1 -- after the entries as near or nearer: the order is reproducible
    while lo < hi do
      local mid = (lo + hi) // 2
      if list[mid][2] <= d then lo = mid + 1 else hi = mid end
    end
    table.insert(list, lo, {place, d})
  end

  local function by_length(origin)
    local list = sorted[origin]
    if not list then
      list = {}
      for _, place in ipairs(places) do
        local d = dist(origin, place)
        if d then insert(list, place, d) end
      end
      sorted[origin] = list
    end
    return list
  end

  -- Remove item k of queue q (a hole in the middle, cleared when the head passes it).
  local function remove(q, k)
    if k == q.head then
      q[k] = nil
      q.head = k + 1
      while q.head <= q.tail and q[q.head] == false do
        q[q.head] = nil
        q.head = q.head + 1
      end
      if q.tail < q.head then q.head, q.tail = 1, 0 end
    else
      q[k] = false
    end
  end

  function p:add(place, item)
    self.seq = self.seq + 1
    item.seq = self.seq
    local q = self.queues[place]
    if not q then -- a new place: every origin's list learns it
      q = {head = 1, tail = 0}
      self.queues[place] = q
      places[#places + 1] = place
      for origin, list in pairs(sorted) do
        local d = dist(origin, place)
        if d then insert(list, place, d) end
      end
    end
    q.tail = q.tail + 1
    q[q.tail] = item
  end

  function p:take(origin, accept)
    local best_q, best_k, best_d, best_seq
    for _, e in ipairs(by_length(origin)) do
      local d = e[2]
      if best_d and d > best_d then break end
      local q = self.queues[e[1]]
      for k = q.head, q.tail do
        local item = q[k]
        if item and accept(item) then
          if not best_d or item.seq < best_seq then
            best_q, best_k, best_d, best_seq = q, k, d, item.seq
          end
          break
        end
      end
    end
    if best_q then
      local item = best_q[best_k]
      remove(best_q, best_k)
      return item
    end
  end

  -- Remove `item`, queued at `place`.
  function p:drop(place, item)
    local q = self.queues[place]
    for k = q.head, q.tail do
      if q[k] == item then return remove(q, k) end
    end
  end

  -- The items queued at `place`, in the order they came.
  function p:at(place)
    local q, list = self.queues[place], {}
    for k = q and q.head or 1, q and q.tail or 0 do
      if q[k] then list[#list + 1] = q[k] end
    end
    return list
  end
  return p
end

-- A list a rule chooses from: add appends, take(key) removes and returns the entry choose(key, list)
-- gives the index of, if any, drop(x) removes entry x.
local function rule_list(choose)
  local list = {}
  return {
    list = list,
    add = function(_, x) list[#list + 1] = x end,
    take = function(_, key)
      local i = choose(key, list)
      if i then return table.remove(list, i) end
    end,
    drop = function(_, x) -- remove entry x
      for k, y in ipairs(list) do
        if y == x then return table.remove(list, k) end
      end
    end,
  }
end

-- The tasks that wait for a vehicle. With the "nearest" rule's `task`, queued by pickup place;
-- with any other rule, a list the rule chooses from by index (a pass over the backlog).
local function pending_tasks(r)
  if r.task == M.rules.nearest.task then
    local q = nearest_queues(length) -- from the vehicle's place to each pickup
    return {
      add = function(_, task) q:add(task.from, task) end,
      take = function(_, agent) return q:take(agent:node(), function(t) return can(agent, t) end) end,
      at = function(_, place) return q:at(place) end,
      drop = function(_, task) q:drop(task.from, task) end,
    }
  end
  local t = rule_list(r.task)
  local list = t.list
  t.at = function(_, place)
    local here = {}
    for _, task in ipairs(list) do
      if task.from == place then here[#here + 1] = task end
    end
    return here
  end
  return t
end

-- The vehicles that wait for a task, each as {agent, event}. With the "nearest" rule's `vehicle`,
-- queued by the place where they wait (a waiting vehicle does not move); otherwise a list.
local function waiting_vehicles(r)
  if r.vehicle == M.rules.nearest.vehicle then
    local q = nearest_queues(function(pickup, place) return length(place, pickup) end)
    local of = {} -- agent name -> its entry, while it waits
    return {
      add = function(_, w) w.place = w.agent:node(); of[w.agent:name()] = w; q:add(w.place, w) end,
      take = function(_, task)
        local w = q:take(task.from, function(x) return can(x.agent, task) end)
        if w then of[w.agent:name()] = nil end
        return w
      end,
      drop = function(_, w) q:drop(w.place, w); of[w.agent:name()] = nil end,
      find = function(_, agent) return of[agent:name()] end,
    }
  end
  local w = rule_list(r.vehicle)
  local list = w.list
  w.find = function(_, agent)
    local name = agent:name()
    for _, x in ipairs(list) do
      if x.agent:name() == name then return x end
    end
  end
  return w
end

function M.new(rule, tasks)
  local r = type(rule) == "table" and rule or M.rules[rule or "nearest"]
  assert(r and r.vehicle and r.task, "dispatch: unknown rule " .. tostring(rule))
  local pending, waiting = pending_tasks(r), waiting_vehicles(r)
  -- the level only where vehicles may get tasks (`tasks` false: no stored goods and no product
  -- carried by vehicles), so that a plant without them shows no empty table
  local d = {queue = tasks ~= false and sim.level("tasks waiting for a vehicle") or nil}
  local assigned, n_assigned = {}, 0 -- vehicle name -> its instructed tasks, first in first out

  -- A task for one vehicle only (`vehicle`, an instruction's transport): it takes it before any other
  -- work, as soon as it asks for work (now, if it waits for some); no other vehicle is offered it.
  function d:assign(vehicle, task)
    task.created = task.created or sim.now()
    local name = vehicle:name()
    local q = assigned[name] or {}
    assigned[name] = q
    q[#q + 1] = task
    n_assigned = n_assigned + 1
    self.queue:add(1)
    local w = waiting:find(vehicle)
    if w then
      waiting:drop(w)
      w.event:succeed(self:try_task(vehicle))
    end
  end

  -- The tasks no vehicle has taken yet whose load is picked up at `place`, in the order they came.
  function d:pending_at(place) return pending:at(place) end

  -- Withdraw a task of pending_at: no vehicle is offered it any more.
  function d:withdraw(task)
    pending:drop(task)
    self.queue:add(-1)
  end

  -- Hand a task to a vehicle now, or keep it until one asks.
  function d:submit(task)
    assert(self.queue, "dispatch: a transport task in a plant said to have none (dispatch.new's `tasks`)")
    task.created = task.created or sim.now()
    local w = waiting:take(task)
    if w then
      w.event:succeed(task)
    else
      pending:add(task)
      self.queue:add(1)
    end
  end

  -- A pending task for `agent` if there is one now, else nil (never waits).
  function d:try_task(agent)
    local mine = n_assigned > 0 and assigned[agent:name()]
    if mine and #mine > 0 then
      n_assigned = n_assigned - 1
      self.queue:add(-1)
      return table.remove(mine, 1)
    end
    local t = pending:take(agent)
    if t then
      self.queue:add(-1)
      return t
    end
  end

  -- `agent` is back from its repairs: if it waits for work, it takes a pending task it can do now.
  function d:repaired(agent)
    local w = waiting:find(agent)
    if w then
      local t = pending:take(agent)
      if t then
        waiting:drop(w)
        self.queue:add(-1)
        w.event:succeed(t)
      end
    end
  end

  -- The next task for `agent`; waits until there is one it can do.
  function d:next_task(agent)
    local t = self:try_task(agent)
    if t then
      return t
    end
    local ev = sim.event("work for " .. agent:name(), "idle") -- waiting for work is no deadlock
    waiting:add({agent = agent, event = ev})
    return ev:wait()
  end

  return d
end

return M
