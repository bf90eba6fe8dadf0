-- stall.lua: a tugger that checks its surroundings every tenth of a millisecond for
-- ever: millions of resumes, a run that is long in wall time, for the
-- tests of --timeout and of killed workers.
return function(agent)
  while true do sim.wait(0.0001) end
end
