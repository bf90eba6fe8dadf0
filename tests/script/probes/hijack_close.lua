-- expect: a process's thread
-- A process closes another one's waiting thread.
local thread
local victim = sim.spawn("victim", function() thread = coroutine.running(); sim.wait(10) end)
sim.wait(1)
coroutine.close(thread) -- <- here
