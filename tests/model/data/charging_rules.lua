-- charging_rules.lua: the off_peak rule of charging.lua against hand
-- calculation (charging_rules.yaml); a failed assert fails the run.
local charging = require("charging")

local function near(a, b) return math.abs(a - b) < 1e-6 end

return function(agent, plant)
  local peak, left = shop.peak()
  assert(peak and near(left, 3600), "00:00 is in the peak band, which ends at 01:00")
  assert(agent:charging_rule() == "off_peak")
  if agent:type() == "high" then
    -- 15 % is below charge_below but above the reserve (10 %): no charge in the peak, no top-up either
    charging.if_low(agent, plant.chargers)
    charging.top_up(agent, plant.chargers)
    assert(sim.now() == 0 and near(agent:battery(), 0.15), "no charging in the peak band above the reserve")
    sim.wait(3600)
    assert(not shop.peak(), "01:00 is off peak")
    -- off peak: 15 % to 90 % is 0.75 kWh at 900 W: 3000 s
    charging.if_low(agent, plant.chargers)
    assert(math.abs(sim.now() - 6600) < 1e-6, "charged to charge_until off peak in 3000 s, ended at " .. sim.now())
    assert(near(agent:battery(), 0.9))
  else
    -- 5 % is below the reserve: charged in the peak, but only back to charge_below: 0.15 kWh at 900 W, 600 s
    charging.if_low(agent, plant.chargers)
    assert(math.abs(sim.now() - 600) < 1e-6, "charged to charge_below in 600 s, ended at " .. sim.now())
    assert(near(agent:battery(), 0.2))
  end
  print(agent:name() .. " done at " .. sim.now())
  while true do sim.wait(3600) end
end
