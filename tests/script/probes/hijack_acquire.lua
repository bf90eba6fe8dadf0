-- expect: a process's thread
-- Another process resumes a thread blocked in acquire().
local res = sim.resource(1, "press")
local thread
sim.spawn("holder", function() res:acquire(); sim.wait(100); res:release() end)
sim.spawn("victim", function()
  thread = coroutine.running()
  local got = res:acquire()
  assert(got == true, "acquire returned " .. tostring(got))
end)
sim.wait(1)
coroutine.resume(thread, "fake") -- <- here
