-- crew.lua: who does an operation that needs a crew.
--
-- Agents that may work in crews (arms, humanoids, workers) offer
-- themselves when they are free (crews:offer) and wait for a task. A
-- station that needs a crew asks for it (crews:gather): its needs are
-- filled in the order the operation lists them, one member at a time,
-- each by the nearest free agent that qualifies (its kind or fleet entry
-- is named by the need, it has the operation's skill, and an arm only at
-- its own station). A member is held from the moment it is chosen; when
-- no free agent qualifies, the station waits for the next one that
-- offers itself, first come first served. Holding while waiting is how
-- real crews behave, and so two operations can each hold what the other
-- needs: the run then stops with a deadlock that names, for each
-- station, the operation, the job, what it needs and what it holds.
--
-- An agent under repair is passed over: it stays on the free list, and
-- when it is back (crews:repaired, called by plant.lua) it takes the
-- oldest request it qualifies for, as if it had just offered itself.
--
-- A chosen member gets a task {place, station, arrived, released}: it
-- goes to the place (none: a console, where it stays), says it has
-- arrived, works (the station puts it in the working state while the
-- clock runs) and waits to be released.
--
-- A crew that carries a unit (a product's transport by people) is
-- gathered the same way with a destination (`to`): each member takes the
-- unit in hand on arrival, and when told to go (crews:carry) walks loaded
-- to the destination and sets it down; the carry is over when the last
-- one is there.

local M = {}

local function has(list, x)
  for _, y in ipairs(list) do
    if y == x then return true end
  end
  return false
end

local function qualifies(agent, need, skill, station)
  if not (has(need.kinds, agent:kind()) or has(need.types, agent:type())) then return false end
  if agent:down() then return false end -- under repair: another one, or this one once repaired
  if agent:gone() then return false end -- removed from the plant during the run
  if agent:kind() == "arm" and agent:station() ~= station.name then return false end
  return not skill or has(agent:skills(), skill)
end

function M.new()
  -- tending: agent -> the station (from shop.stations()) it works at only, while it tends it
  local crews = {idle = {}, requests = {}, tending = {}}

  -- May `agent` join this crew: it qualifies, and tends no other station?
  local function fits(agent, need, skill, station)
    local t = crews.tending[agent]
    return (not t or t.name == station.name) and qualifies(agent, need, skill, station)
  end

  local function assign(r, agent)
    local task = {place = r.station.place, station = r.station, to = r.to,
                  arrived = sim.event(agent:name() .. " arrives at " .. r.station.name),
                  released = sim.event(agent:name() .. " released by " .. r.station.name)}
    if r.to then
      task.go = sim.event(agent:name() .. " carries to " .. r.to)
      task.there = sim.event(agent:name() .. " sets down at " .. r.to)
    end
    r.members[#r.members + 1] = {agent = agent, task = task}
    r.agents[#r.agents + 1] = agent
    return task
  end

  -- The nearest free agent for `need`, taken off the free list and sent its task.
  local function take_free(r, need, skill)
    local best, best_d
    for k, w in ipairs(crews.idle) do
      if fits(w.agent, need, skill, r.station) then
        -- an arm, or a task at a console (no place: nobody walks), is as near as any
        local d = (w.agent:kind() == "arm" or not r.station.place) and 0 or shop.distance(w.agent:node(), r.station.place)
        if d and (not best_d or d < best_d) then best, best_d = k, d end
      end
    end
    if not best then return nil end
    local w = table.remove(crews.idle, best)
    w.event:succeed(assign(r, w.agent))
    return w.agent
  end

  -- Gather the crew of operation `op` for `job` at `station`; returns the list of agents once all have arrived.
  -- With `to` (a place), a crew that will carry the unit there: each member has it in hand on arrival.
  function crews:gather(op, station, job, to)
    local r = {station = station, members = {}, agents = {}, to = to}
    for _, need in ipairs(op.crew) do
      for _ = 1, need.count do
        if not take_free(r, need, op.skill) then
          local holds = {}
          for _, a in ipairs(r.agents) do holds[#holds + 1] = a:name() end
          r.need, r.skill = need, op.skill
          r.ready = sim.event(string.format("crew for %s at '%s': needs %s%s, holds %s",
            job.number > 0 and string.format("operation '%s' of job %d", op.name, job.number) or op.name, station.name, need.label, op.skill and (" with skill " .. op.skill) or "",
            #holds > 0 and table.concat(holds, ", ") or "nobody"))
          table.insert(self.requests, r)
          r.ready:wait()
        end
      end
    end
    for _, m in ipairs(r.members) do m.task.arrived:wait() end
    return r.agents, r
  end

  -- A carrying crew takes the unit to its destination; returns when the last member has set it down.
  function crews:carry(r)
    for _, m in ipairs(r.members) do m.task.go:succeed() end
    for _, m in ipairs(r.members) do m.task.there:wait() end
  end

  -- `agent` is back from its repairs: if it waits on the free list, it takes a waiting request now.
  function crews:repaired(agent)
    for k, w in ipairs(self.idle) do
      if w.agent == agent then
        local task = self:try(agent)
        if task then
          table.remove(self.idle, k)
          w.event:succeed(task)
        end
        return
      end
    end
  end

  -- `agent` tends `station` (an entry of shop.stations()): it works only there, and waits there
  -- between tasks; nil: it works anywhere again, and takes a waiting request now if it waits.
  function crews:tend(agent, station)
    self.tending[agent] = station
    if not station then self:repaired(agent) end
  end

  -- The operation is over: every member is free to go.
  function crews:release(r)
    for _, m in ipairs(r.members) do m.task.released:succeed() end
  end

  -- A task for `agent` if a station waits for such an agent now, else nil (never waits).
  function crews:try(agent)
    for k, r in ipairs(self.requests) do
      if fits(agent, r.need, r.skill, r.station) then
        table.remove(self.requests, k)
        local task = assign(r, agent)
        r.ready:succeed()
        return task
      end
    end
  end

  -- `agent` is free: a task at once if a station waits for such an agent, else wait for one;
  -- nil when `timeout` seconds (nil: no limit) pass without a task.
  function crews:offer(agent, timeout)
    local now = self:try(agent)
    if now then return now end
    local w = {agent = agent, event = sim.event("work for " .. agent:name(), "idle")}
    table.insert(self.idle, w)
    local task = w.event:wait(timeout)
    if not task then
      for k, x in ipairs(self.idle) do
        if x == w then table.remove(self.idle, k) break end
      end
    end
    return task
  end

  return crews
end

-- Do one task: go to the station (arms are there), say so, work, wait to be released.
-- A carrying task: take the unit in hand, say so, carry it when told, set it down.
function M.serve(agent, task)
  if agent:kind() ~= "arm" and task.place and agent:node() ~= task.place then agent:move_to(task.place) end
  if task.to then agent:pick(0) end
  task.arrived:succeed()
  if task.to then
    task.go:wait()
    if agent:node() ~= task.to then agent:move_to(task.to) end
    agent:drop(0)
    task.there:succeed()
  end
  task.released:wait()
end

-- Between tasks a mobile agent does not linger at the station (a person there would keep a
-- robot slowed or stopped): with no task waiting for it, it goes back to its home; one that
-- tends a station waits there.
function M.next(agent, crews, timeout)
  local task = crews:try(agent)
  if task then return task end
  local tends = crews.tending[agent]
  local home = tends and tends.place or agent:home()
  if home and agent:node() ~= home then agent:move_to(home) end
  return crews:offer(agent, timeout)
end

return M
