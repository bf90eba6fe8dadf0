-- expect: instructions without yielding
-- A runaway inside a coroutine of the script's own, whose resume and pcall try to catch the stop and go on.
sim.wait(1)
local co = coroutine.create(function() while true do end end) -- <- here
while true do
  pcall(coroutine.resume, co)
  co = coroutine.create(function() while true do end end)
end
