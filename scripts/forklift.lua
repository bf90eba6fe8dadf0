-- forklift.lua: the default behaviour of forklifts (and, through agv.lua,
-- of AGVs). Take a transport task, drive to the pickup, lift the pallet
-- off its level, drive loaded to the drop place, set it down; report the
-- task done. Before taking work, a vehicle whose battery is below its
-- charge_below goes to the nearest charger, waits for a free spot and
-- charges to charge_until. With nothing to do and a battery below
-- charge_until it charges too, if a spot is free (opportunity charging),
-- and takes work again when there is some; the battery's `charging` rule
-- says which of these it does (charging.lua). A vehicle whose fleet entry
-- has a roster takes work only on shift (it finishes the task in hand);
-- one removed from the plant during the run finishes the task in hand
-- and is off for good (waiting for work, it is off at once: the model's).

local charging = require("charging")
local chargers -- the plant's, shared with every vehicle and humanoid

return function(agent, plant)
  chargers = plant.chargers -- shared with every vehicle and humanoid
  while true do
    while agent:shift() ~= "present" do agent:rest() end -- a fleet entry with a roster keeps its shifts
    charging.if_low(agent, chargers)
    local task = plant.dispatch:try_task(agent)
    if not task and not agent:gone() then
      charging.top_up(agent, chargers)
      if not agent:gone() then task = plant.dispatch:next_task(agent) end
    end
    if task then
      agent:move_to(task.from)
      agent:pick(task.pick_height or 0)
      plant.picked(task)
      agent:move_to(task.to)
      agent:drop(task.drop_height or 0)
      plant.dropped(task)
    end
  end
end
