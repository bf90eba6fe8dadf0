-- M/M/c (and M/D/c with P.deterministic): Poisson arrivals at rate
-- P.lambda, c servers with service rate P.mu. Records the time in queue
-- and the time in system of the customers after the first P.warmup.
local server = sim.resource{capacity = P.c, name = "servers"}
local arrivals, services = sim.rng("arrivals"), sim.rng("services")
local in_queue, in_system = sim.tally("Wq"), sim.tally("W")
local mean_service = 1 / P.mu

local function customer(measured)
  local t0 = sim.now()
  server:acquire()
  local t1 = sim.now()
  sim.wait(P.deterministic and mean_service or services:exp(mean_service))
  server:release()
  if measured then
    in_queue:add(t1 - t0)
    in_system:add(sim.now() - t0)
  end
end

for i = 1, P.warmup + P.customers do
  sim.wait(arrivals:exp(1 / P.lambda))
  sim.spawn("customer", customer, i > P.warmup)
end
