-- expect: (error object is a table value)
-- An error object whose __index raises: the report must not run it.
sim.wait(1)
error(setmetatable({}, {__index = function() error("boom") end})) -- <- here
