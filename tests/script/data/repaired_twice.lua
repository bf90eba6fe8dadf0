-- A behaviour that waits for its agent's repairs itself, while plant.lua
-- already does (to offer the agent work again): refused, loudly.
local work = require("worker")
return function(agent, plant)
  sim.spawn("log " .. agent:name(), function()
    while true do agent:repaired() end
  end)
  return work(agent, plant)
end
