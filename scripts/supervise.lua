-- supervise.lua: supervision or teleoperation as a crew need.
--
-- A fleet entry with `supervision: {per: N, by: B}` works only while a
-- person watches it: one of fleet entry B, or, when no entry is called B,
-- a worker with skill B, watches up to N of its agents at once from a
-- console (remotely: a supervisor never walks; teleoperation is N = 1).
-- When an operation's crew has gathered, each supervised member asks for
-- a place (supervision:acquire) before the work starts and gives it back
-- when the work is over (supervision:release); walking and carrying are
-- not supervised. While no place is free the member waits, held in its
-- crew, in the state wait_person, first come first served.
--
-- Supervisors are taken from the crews (crew.lua) as a crew of one at a
-- console: when a supervised agent waits and no present supervisor of
-- its pool (the entries with the same `by` and N) has a free place, the
-- first free person who qualifies is gathered. A supervisor shows as working while it watches at least one
-- agent (so it is held: no other crew takes it) and is released, free for
-- other work, when it watches none. One whose shift or break begins takes
-- no new agents: it sees the operations in hand through, then goes off
-- (worker.lua); the robots' next operations wait for another supervisor,
-- or for its return.

local M = {}

function M.new(crews)
  local pools = {} -- "by/per" -> {per, need, skill, name, active, waiting, recruiting}
  local sv = {}

  -- The pool of the supervised agent, nil when it is not supervised as a crew need. Entries supervised by
  -- the same people, as many at once, share their supervisors.
  local function pool(agent)
    local per, by = agent:supervision()
    if not per then return nil end
    local key = by .. "/" .. per
    local p = pools[key]
    if p then return p end
    local entry = false
    for _, a in ipairs(shop.agents()) do entry = entry or a:type() == by end
    p = {per = per, active = {}, waiting = {}, recruiting = 0, skill = not entry and by or nil,
         need = {count = 1, label = entry and by or "person (worker)", kinds = entry and {} or {"worker"},
                 types = entry and {by} or {}},
         name = "supervision by " .. by}
    pools[key] = p
    return p
  end

  local function seat(s)
    s.watching = s.watching + 1
    if s.watching == 1 then s.agent:hold("working") end
  end

  local function open(p, s) return s.watching < p.per and s.agent:shift() == "present" end

  local recruit

  -- Free places of present supervisors go to the waiting agents, oldest first; a supervisor is
  -- gathered for those that places on their way cannot take.
  local function serve(p)
    for _, s in ipairs(p.active) do
      while #p.waiting > 0 and open(p, s) do
        seat(s)
        table.remove(p.waiting, 1).event:succeed(s)
      end
    end
    while #p.waiting > p.recruiting * p.per do recruit(p) end
  end

  -- A supervisor who watches nobody is released.
  local function leave(p, s)
    if s.watching > 0 then return end
    s.agent:hold("idle")
    for k, x in ipairs(p.active) do
      if x == s then table.remove(p.active, k) break end
    end
    crews:release(s.held)
  end

  recruit = function(p)
    p.recruiting = p.recruiting + 1
    sim.spawn(p.name, function()
      local who, held = crews:gather({name = p.name, crew = {p.need}, skill = p.skill}, {name = "console"},
                                     {number = 0})
      p.recruiting = p.recruiting - 1
      local s = {agent = who[1], held = held, watching = 0}
      table.insert(p.active, s)
      serve(p)
      leave(p, s)
    end)
  end

  -- A supervisor's place for each supervised member of `agents` (nil: no crew); waits until all have one.
  function sv:acquire(agents)
    local seats = {}
    for _, a in ipairs(agents or {}) do
      local p = pool(a)
      if p then
        local w = {agent = a, event = sim.event(a:name() .. " waits for a supervisor (" .. p.name .. ")")}
        table.insert(p.waiting, w)
        serve(p)
        if not w.event:triggered() then
          a:hold("wait_person")
          w.event:wait()
          a:hold("idle")
        end
        seats[#seats + 1] = {pool = p, s = w.event:value()}
      end
    end
    return seats
  end

  -- The work is over: the places go to waiting agents, supervisors who watch nobody are released.
  function sv:release(seats)
    for _, x in ipairs(seats) do
      x.s.watching = x.s.watching - 1
      serve(x.pool)
      leave(x.pool, x.s)
    end
  end

  return sv
end

return M
