-- expect: (error object is a table value)
-- An error object whose __index and __tostring loop for ever.
sim.wait(1)
local mt = {__index = function() while true do end end, __tostring = function() while true do end end}
error(setmetatable({}, mt)) -- <- here
