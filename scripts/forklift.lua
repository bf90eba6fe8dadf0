-- forklift.lua: the default behaviour of forklifts (and, through agv.lua,
-- of AGVs). Take a transport task, drive to the pickup, lift the pallet
-- off its level, drive loaded to the drop place, set it down; report the
-- task done. Before taking work, a vehicle whose battery is below its
-- charge_below goes to the nearest charger, waits for a free spot and
-- charges to charge_until. With nothing to do and a battery below
-- charge_until it charges too, if a spot is free (opportunity charging),
-- and takes work again when there is some. A vehicle whose fleet entry
-- has a roster takes work only on shift (it finishes the task in hand).

local charging = require("charging")
local chargers -- the plant's, shared with every vehicle and humanoid

-- Idle and not full: top up at the nearest charger if a spot is free right now.
local function opportunity_charge(agent)
  local _, upto, spares = agent:battery_policy()
  if not upto or spares or agent:battery() >= upto then return end -- a battery that is swapped is not topped up
  local c = charging.nearest(agent, chargers)
  if not c or c.spots:count() >= c.slots then return end
  agent:move_to(c.place)
  if c.spots:acquire(1, 0, 0) then -- no waiting: another vehicle may have taken the spot meanwhile
    agent:charge(c.name)
    c.spots:release()
  end
end

return function(agent, plant)
  chargers = plant.chargers -- shared with every vehicle and humanoid
  while true do
    while agent:shift() ~= "present" do agent:rest() end -- a fleet entry with a roster keeps its shifts
    charging.if_low(agent, chargers)
    local task = plant.dispatch:try_task(agent)
    if not task then
      opportunity_charge(agent)
      task = plant.dispatch:next_task(agent)
    end
    agent:move_to(task.from)
    agent:pick(task.pick_height or 0)
    plant.picked(task)
    agent:move_to(task.to)
    agent:drop(task.drop_height or 0)
    plant.dropped(task)
  end
end
