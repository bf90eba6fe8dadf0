-- M/M/1: customers arrive at rate 0.9 per second and are served one at a
-- time at rate 1 per second. Theory: mean time in system 1/(mu - lambda) = 10 s.
local lambda, mu = 0.9, 1.0
local server = sim.resource{capacity = 1, name = "server"}
local arrivals, services = sim.rng("arrivals"), sim.rng("services")
local in_system = sim.tally("time in system")

local function customer()
  local t0 = sim.now()
  server:acquire()
  sim.wait(services:exp(1 / mu))
  server:release()
  in_system:add(sim.now() - t0)
end

for _ = 1, 100000 do
  sim.wait(arrivals:exp(1 / lambda))
  sim.spawn("customer", customer)
end
