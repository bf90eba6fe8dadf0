-- slow.lua: a tugger that looks around every 10 ms and does nothing else:
-- a run that succeeds but takes a noticeable wall time (about 0.2 s for
-- the 2 h of plant.yaml), so a test can kill a sweep in the middle.
return function(agent)
  while true do sim.wait(0.01) end
end
