-- expect: (error object is a table value)
-- An error object whose __index yields.
sim.wait(1)
error(setmetatable({}, {__index = function() coroutine.yield() end})) -- <- here
