-- expect: ev:wait cannot block here
-- An ev:wait inside __tostring fails, and must not stay subscribed to the event.
local truck = sim.event("truck")
local err
local waiter = sim.spawn("waiter", function()
  local ok, e = pcall(tostring, setmetatable({}, {__tostring = function() return truck:wait() end})) -- <- here
  assert(not ok)
  err = e
  sim.wait(10)
  return sim.now()
end)
sim.wait(1)
truck:succeed("here")
assert(waiter:join() == 10, "the wait for 10 s was cut short")
error(err, 0)
