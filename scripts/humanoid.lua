-- humanoid.lua: the default behaviour of humanoid robots, a drop-in for
-- workers: the same crew work (crew.lua) and shifts if its fleet entry
-- has a roster; with a battery, before offering itself it goes to the
-- nearest charger when below charge_below and charges to charge_until.
local crew = require("crew")

local function charge_if_low(agent, plant)
  local below = agent:battery_policy()
  if not below or agent:battery() >= below then return end
  local best, best_d
  for _, c in ipairs(plant.chargers) do
    local d = shop.distance(agent:node(), c.place)
    if d and (not best_d or d < best_d) then best, best_d = c, d end
  end
  if not best then return end
  agent:move_to(best.place)
  best.spots:acquire()
  agent:charge(best.name)
  best.spots:release()
end

return function(agent, plant)
  while true do
    local presence, left = agent:shift()
    if presence ~= "present" then
      local home = agent:home()
      if home and agent:node() ~= home then agent:move_to(home) end
      if agent:shift() ~= "present" then agent:rest() end
    else
      charge_if_low(agent, plant)
      local task = crew.next(agent, plant.crews, left)
      if task then crew.serve(agent, task) end
    end
  end
end
