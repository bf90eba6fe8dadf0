-- agv_milk_run.lua: a tugger on a fixed loop, the way line-side supply is
-- often run. It calls at every stop in turn, stands there while trailers
-- are hitched and unhitched, and goes round again. Below its battery's
-- charge_below it charges at the plant's charger before the next round,
-- one tugger at a time, so a spot stays free for the forklift.
--
-- The fleet entry names it: `behaviour: scripts/agv_milk_run.lua`.

local stops = {"dock_in", "cell_in", "bench", "dock_out"}
local hitch = 30 -- seconds at each stop
local charger = "charger_1"
local spot -- shared by every tugger running this loop

return function(agent)
  spot = spot or sim.resource{capacity = 1, name = "milk-run charging spot"}
  local below, upto = agent:battery_policy()
  while true do
    for _, stop in ipairs(stops) do
      agent:move_to(stop)
      sim.wait(hitch)
    end
    if below and agent:battery() < below then
      agent:move_to(shop.chargers()[1].place)
      spot:acquire()
      agent:charge(charger)
      spot:release()
    end
  end
end
