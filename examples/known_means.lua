-- Five alternatives whose true means are known, for checking a
-- ranking-and-selection procedure (shopfloor optimize; docs/experiments.md).
-- param.x (1..5, `--vary x=1:5:1`) picks the alternative. A run's cost is
--   mean[x] + 2 * Z_common + 1.5 * Z_own
-- with Z_common drawn from one stream every alternative shares (common
-- random numbers: replication r of every alternative draws the same
-- Z_common) and Z_own from the alternative's own stream: normal, mean
-- mean[x], variance 6.25; the difference of two alternatives has variance
-- 4.5. The best (lowest) is x = 3 and its neighbours are worse by exactly
-- 1: with --delta 1 this is the slippage configuration, the hardest one the
-- guarantee covers.
--
-- A second figure, rate (normal, mean rate[x], sd 1), is there to be
-- constrained: with `mean[rate] >= 20 +- 1`, x = 2 (19) and x = 3 (18) are
-- infeasible and the best feasible alternative is x = 4.
local mean = {13, 11, 10, 11, 12}
local rate = {24, 19, 18, 22, 24}
local x = param and param.x or 3
assert(mean[x], "param.x must be 1, 2, 3, 4 or 5")
sim.tally("cost"):add(mean[x] + 2 * sim.rng("common"):normal(0, 1) + 1.5 * sim.rng("own " .. x):normal(0, 1))
sim.tally("rate"):add(rate[x] + sim.rng("rate " .. x):normal(0, 1))
