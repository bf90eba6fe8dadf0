-- seize.lua: a tugger whose drive seizes after a minute: a script error
-- at a known time, for the tests of failed sweep runs.
return function(agent)
  sim.wait(60)
  error("drive of " .. agent:name() .. " seized")
end
