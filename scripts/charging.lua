-- charging.lua: going to a charger, for everything on a battery
-- (forklifts, AGVs, humanoids). `chargers` is the plant's list
-- {name, place, slots, spots = sim.resource}, one spot per slot.
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

-- Below its charge_below: go to the nearest charger, wait for a spot and
-- charge to charge_until. Nothing for an agent without a battery.
function M.if_low(agent, chargers)
  local below = agent:battery_policy()
  if not below or agent:battery() >= below then return end
  local c = M.nearest(agent, chargers)
  if not c then return end
  agent:move_to(c.place)
  c.spots:acquire()
  agent:charge(c.name)
  c.spots:release()
end

return M
