-- dispatch.lua: which vehicle does which transport task.
--
-- A dispatcher holds the tasks nobody has taken yet and the vehicles that
-- wait for work. A new task goes to a waiting vehicle chosen by the rule;
-- a vehicle that asks for work gets a pending task chosen by the rule, or
-- waits. Only vehicles that can do a task get it (a pallet on the third
-- level needs forks that reach that high; a heavy one, enough payload;
-- a task with a `carrier` need, one of the kinds or fleet entries named;
-- a vehicle under repair gets nothing until it is back).
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

-- The pending tasks, as a list a rule chooses from by index: the rule's `task` function is
-- asked with the whole list, so a decision costs a pass over the backlog.
local function list_pending(r)
  local p = {list = {}}
  function p:add(task) self.list[#self.list + 1] = task end
  function p:take(agent)
    local i = r.task(agent, self.list)
    if i then return table.remove(self.list, i) end
  end
  return p
end

-- The pending tasks of the "nearest" rule, by pickup place. For each place a vehicle asks
-- from, the pickup places it can reach are kept sorted by route length; a decision walks them
-- from the nearest and stops at the first with a task the vehicle can do (and the others as
-- near), so its cost follows neither the backlog nor the number of places. It chooses as the
-- rule does over the list: the nearest pickup, and among pickups as near, the task that came
-- first.
local function place_pending()
  local p = {by_place = {}, seq = 0}
  local known, sorted = {}, {} -- pickup places seen; origin -> {{place, length}...} ascending

  local function insert(list, place, d)
    local lo, hi = 1, #list + 1 -- after the entries as near or nearer: the order is reproducible
    while lo < hi do
      local mid = (lo + hi) // 2
      if list[mid][2] <= d then lo = mid + 1 else hi = mid end
    end
    table.insert(list, lo, {place, d})
  end

  local function places_from(origin)
    local list = sorted[origin]
    if not list then
      list = {}
      for _, place in ipairs(known) do
        local d = length(origin, place)
        if d then insert(list, place, d) end
      end
      sorted[origin] = list
    end
    return list
  end

  function p:add(task)
    self.seq = self.seq + 1
    task.seq = self.seq
    local q = self.by_place[task.from]
    if not q then -- a new pickup place: every origin's list learns it
      q = {head = 1, tail = 0}
      self.by_place[task.from] = q
      known[#known + 1] = task.from
      for origin, list in pairs(sorted) do
        local d = length(origin, task.from)
        if d then insert(list, task.from, d) end
      end
    end
    q.tail = q.tail + 1
    q[q.tail] = task
  end

  function p:take(agent)
    local best_q, best_k, best_d, best_seq
    for _, e in ipairs(places_from(agent:node())) do
      local d = e[2]
      if best_d and d > best_d then break end
      local q = self.by_place[e[1]]
      for k = q.head, q.tail do
        local t = q[k]
        if t and can(agent, t) then
          if not best_d or t.seq < best_seq then
            best_q, best_k, best_d, best_seq = q, k, d, t.seq
          end
          break
        end
      end
    end
    if not best_q then return nil end
    local t = best_q[best_k]
    if best_k == best_q.head then
      best_q[best_k] = nil
      best_q.head = best_k + 1
      while best_q.head <= best_q.tail and best_q[best_q.head] == false do
        best_q[best_q.head] = nil
        best_q.head = best_q.head + 1
      end
      if best_q.tail < best_q.head then best_q.head, best_q.tail = 1, 0 end
    else
      best_q[best_k] = false -- a hole, skipped and cleared when the head reaches it
    end
    return t
  end
  return p
end

function M.new(rule)
  local r = type(rule) == "table" and rule or M.rules[rule or "nearest"]
  assert(r and r.vehicle and r.task, "dispatch: unknown rule " .. tostring(rule))
  local pending = r.task == M.rules.nearest.task and place_pending() or list_pending(r)
  local d = {waiting = {}, queue = sim.level("tasks waiting for a vehicle")}

  -- Hand a task to a vehicle now, or keep it until one asks.
  function d:submit(task)
    task.created = task.created or sim.now()
    local i = r.vehicle(task, self.waiting)
    if i then
      local w = table.remove(self.waiting, i)
      w.event:succeed(task)
    else
      pending:add(task)
      self.queue:add(1)
    end
  end

  -- A pending task for `agent` if there is one now, else nil (never waits).
  function d:try_task(agent)
    local t = pending:take(agent)
    if t then
      self.queue:add(-1)
      return t
    end
  end

  -- `agent` is back from its repairs: if it waits for work, it takes a pending task it can do now.
  function d:repaired(agent)
    for k, w in ipairs(self.waiting) do
      if w.agent == agent then
        local t = pending:take(agent)
        if t then
          table.remove(self.waiting, k)
          self.queue:add(-1)
          w.event:succeed(t)
        end
        return
      end
    end
  end

  -- The next task for `agent`; waits until there is one it can do.
  function d:next_task(agent)
    local t = pending:take(agent)
    if t then
      self.queue:add(-1)
      return t
    end
    local ev = sim.event("work for " .. agent:name(), "idle") -- waiting for work is no deadlock
    table.insert(self.waiting, {agent = agent, event = ev})
    return ev:wait()
  end

  return d
end

return M
