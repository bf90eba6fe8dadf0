-- expect: instructions without yielding
-- A runaway loop under xpcall with a message handler: the budget stop must not corrupt the stack.
sim.wait(1)
xpcall(function() while true do end end, function(m) return m end) -- <- here
