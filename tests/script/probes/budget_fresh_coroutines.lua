-- expect: instructions without yielding
-- Short-lived coroutines, each made fresh and making fresh ones: every one is counted against the process's
-- budget (a thread's own count restarts with each new coroutine, so without that this runs for hours).
local function inner() local x = 0 for i = 1, 1400 do x = x + i end return x end
local function mid() local x = 0 for i = 1, 600 do x = x + coroutine.wrap(inner)() end return x end
sim.wait(1)
while true do coroutine.wrap(mid)() end -- <- here
