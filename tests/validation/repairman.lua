-- The machine-repairman model: P.machines machines each run for an
-- exponential time (mean P.up), then break down and wait for one of
-- P.repairers repairers, who repair in an exponential time (mean
-- P.repair). Records the time-average number of machines down after a
-- warm-up of P.warmup time units, until P.horizon.
local crew = sim.resource{capacity = P.repairers, name = "repairers"}
local down = sim.level("down")
local failures, repairs = sim.rng("failures"), sim.rng("repairs")

local function machine()
  while true do
    sim.wait(failures:exp(P.up))
    down:add(1)
    crew:acquire()
    sim.wait(repairs:exp(P.repair))
    crew:release()
    down:add(-1)
  end
end

for _ = 1, P.machines do sim.spawn("machine", machine) end
sim.wait(P.warmup)
down:reset()
