-- expect: not a number
-- NaN would poison every statistic of the tally.
local t = sim.tally("cycle time")
t:add(0 / 0) -- <- here
