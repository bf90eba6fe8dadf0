-- humanoid.lua: the default behaviour of humanoid robots, a drop-in for
-- workers: the worker's loop (crew work from crew.lua, shifts if its
-- fleet entry has a roster) and, with a battery, before offering itself
-- it goes to the nearest charger when below charge_below and charges to
-- charge_until.
local work = require("worker")
local charging = require("charging")

local function charge_if_low(agent, plant)
  charging.if_low(agent, plant.chargers)
end

return function(agent, plant)
  return work(agent, plant, charge_if_low)
end
