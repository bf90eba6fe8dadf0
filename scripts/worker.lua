-- worker.lua: the default behaviour of workers. On shift, a worker
-- offers itself for crew work (crew.lua) until its shift or break
-- begins, waiting at its home between tasks; it finishes the operation
-- in hand, walks home, then is off (state off_shift or on_break) until
-- the calendar brings it back.
local crew = require("crew")

return function(agent, plant)
  while true do
    local presence, left = agent:shift()
    if presence ~= "present" then
      local home = agent:home()
      if home and agent:node() ~= home then agent:move_to(home) end
      if agent:shift() ~= "present" then agent:rest() end
    else
      local task = crew.next(agent, plant.crews, left)
      if task then crew.serve(agent, task) end
    end
  end
end
