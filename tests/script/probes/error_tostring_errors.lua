-- expect: (error object is a table value)
-- An error object whose __tostring raises, in a spawned process.
sim.spawn("worker", function()
  sim.wait(2)
  error(setmetatable({}, {__tostring = function() error("boom") end})) -- <- here
end)
