-- expect: sim.wait cannot block here
-- A wait inside a table.sort comparator fails, and must leave no timer armed.
local ok, err = pcall(table.sort, {3, 1, 2}, function(a, b) sim.wait(0.5); return a < b end) -- <- here
assert(not ok)
sim.wait(10)
assert(sim.now() == 10, "the wait for 10 s ended at " .. sim.now())
error(err, 0)
