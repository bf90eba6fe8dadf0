-- expect: over the memory limit of 16 MB (--memory): 0 MB in the Lua state, 2097152 observations in 1 tallies (the largest, 'x')
-- options: --memory 16
-- A tally's observations are C memory the script makes the program hold: they count against the cap.
local t = sim.tally("x")
for i = 1, 50000000 do
  t:add(i) -- <- here
  if i % 10000 == 0 then sim.wait(1) end
end
