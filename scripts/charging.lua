-- charging.lua: going to a charger, for everything on a battery
-- (forklifts, AGVs, humanoids). `chargers` is the plant's list
-- {name, place, slots, spots = sim.resource}, one spot per slot; a
-- battery swap takes a spot too, for its `swap` time.
local M = {}

-- The charger nearest the agent over the path network, or nil.
function M.nearest(agent, chargers)
  local best, best_d
  for _, c in ipairs(chargers) do
    local d = shop.distance(agent:node(), c.place)
    if d and (not best_d or d < best_d) then best, best_d = c, d end
  end
  return best
end

-- The spare packs of the agent's fleet entry, one resource per entry (made when first needed):
-- holding one means a spare is promised to this agent.
local function spares(agent, chargers, count)
  chargers.spares = chargers.spares or {}
  local r = chargers.spares[agent:type()]
  if not r then
    r = sim.resource{capacity = count, name = "spare packs of " .. agent:type()}
    chargers.spares[agent:type()] = r
  end
  return r
end

-- Below its charge_below: go to the nearest charger, wait for a spot and
-- charge to charge_until, or, when its battery is swapped (battery
-- `swap`), wait for a spare pack and swap it. Nothing for an agent
-- without a battery.
function M.if_low(agent, chargers)
  local below, _, count = agent:battery_policy()
  if not below or agent:battery() >= below then return end
  local c = M.nearest(agent, chargers)
  if not c then return end
  agent:move_to(c.place)
  c.spots:acquire()
  if count then
    local pool = spares(agent, chargers, count)
    pool:acquire()
    agent:swap(c.name)
    pool:release()
  else
    agent:charge(c.name)
  end
  c.spots:release()
end

return M
