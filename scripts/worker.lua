-- worker.lua: the default behaviour of workers. On shift, a worker
-- offers itself for crew work (crew.lua) until its shift or break
-- begins, waiting at its home between tasks; it finishes the operation
-- in hand, walks home, then is off (state off_shift or on_break) until
-- the calendar brings it back. `before_work`, when given, runs each time
-- before it offers itself (humanoid.lua charges there).
local crew = require("crew")

return function(agent, plant, before_work)
  while true do
    local presence, left = agent:shift()
    if presence ~= "present" then
      local home = agent:home()
      if home and agent:node() ~= home then agent:move_to(home) end
      if agent:shift() ~= "present" then agent:rest() end
    else
      if before_work then before_work(agent, plant) end
      local task = crew.next(agent, plant.crews, left)
      if task then crew.serve(agent, task) end
    end
  end
end
