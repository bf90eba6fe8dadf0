-- AGVs carry totes from an inbound buffer to the line; each trip drains
-- its battery (a container), and below 20% an AGV queues for one of two
-- chargers.
--
--   shopfloor run examples/agv_charging.lua --until 8h
local AGVS, CHARGERS = 5, 2
local inbound = sim.store{capacity = 40, name = "inbound buffer"}
local chargers = sim.resource{capacity = CHARGERS, name = "chargers"}
local delivered = sim.tally("tote lead time (s)")
local arrivals, trips = sim.rng("totes"), sim.rng("trips")

sim.spawn("supplier", function()
  while true do
    sim.wait(arrivals:exp(45))
    inbound:put({arrived = sim.now()})
  end
end)

local function agv(i)
  local battery = sim.container{capacity = 100, init = 100, name = "battery AGV " .. i}
  while true do
    local tote = inbound:get()
    sim.wait(trips:triangular(120, 150, 240))
    battery:get(1.5)                               -- kWh-percent per trip
    delivered:add(sim.now() - tote.arrived)
    if battery:level() < 20 then
      chargers:acquire()
      local need = 100 - battery:level()
      sim.wait(need * 36)                          -- 1% per 36 s
      battery:put(need)
      chargers:release()
    end
  end
end

for i = 1, AGVS do sim.spawn("AGV " .. i, agv, i) end
