-- worker.lua: the default behaviour of workers. On shift, a worker
-- offers itself for crew work (crew.lua) until its shift or break
-- begins; it finishes the operation in hand, then goes off (state
-- off_shift or on_break) until the calendar brings it back.
local crew = require("crew")

return function(agent, plant)
  while true do
    local presence, left = agent:shift()
    if presence ~= "present" then
      agent:rest()
    else
      local task = plant.crews:offer(agent, left)
      if task then crew.serve(agent, task) end
    end
  end
end
