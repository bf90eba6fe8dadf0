-- expect: res:acquire cannot block here
-- An acquire inside a string.gsub callback fails, and must leave no queue entry for a dead process.
local press = sim.resource(1, "press")
press:acquire()
local err
sim.spawn("caller", function()
  local ok, e = pcall(string.gsub, "x", "x", function() press:acquire() end) -- <- here
  assert(not ok)
  err = e
end)
sim.wait(1)
press:release()
local next_one = sim.spawn("next", function() return press:acquire() end)
sim.wait(1)
assert(not next_one:is_alive(), "the press went to a process that had ended")
error(err, 0)
