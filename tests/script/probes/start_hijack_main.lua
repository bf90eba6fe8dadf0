-- expect: a process's thread
-- A process started without a handle, in the slot of one that ended, resumes main while main waits.
local main = coroutine.running()
local first = sim.spawn(function() end)
sim.wait(1)
sim.start(function()
  assert(not first:is_alive() and first:interrupt("x") == false)
  sim.wait(1)
  coroutine.resume(main) -- <- here
end)
sim.wait(50)
