local r = sim.resource{capacity = 2, name = "crane"}
local s = sim.store{capacity = 3, name = "rack"}
local t = sim.tally("wait")
local ev = sim.event()
local function worker(i)
  local t0 = sim.now()
  r:acquire()
  t:add(sim.now() - t0)
  sim.wait(sim.rng("svc"):exp(1.5))
  r:release()
  s:put(i)
  if i == 3 then ev:succeed("three") end
end
for i = 1, 5 do sim.spawn("w" .. i, worker, i) end
sim.spawn("taker", function()
  for i = 1, 5 do local x = s:get() end
end)
local p = sim.spawn(function() return ev:wait() end)
print(p:join())
local q = sim.spawn(function() sim.wait(100) end)
sim.wait(1)
q:interrupt("stop")
