-- expect: store:get cannot block here
-- A blocking get inside a store:get filter fails, and must leave no queue entry behind.
local parts, bins = sim.store{name = "parts"}, sim.store{name = "bins"}
parts:put("a")
local ok, err = pcall(parts.get, parts, function(item) return bins:get() end) -- <- here
assert(not ok)
local taker = sim.spawn("taker", function() return bins:get(nil, 5) end)
bins:put("b")
assert(taker:join() == "b", "the bin went to the failed get")
error(err, 0)
