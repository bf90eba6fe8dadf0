-- expect: a process's thread
-- A process resumes main while main waits 50 s.
local main = coroutine.running()
sim.spawn("intruder", function()
  sim.wait(1)
  coroutine.resume(main) -- <- here
end)
sim.wait(50)
assert(sim.now() == 50, "main woke at " .. sim.now())
