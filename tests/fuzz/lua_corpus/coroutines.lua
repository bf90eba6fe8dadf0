local gen = coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end)
local sum = 0
for i = 1, 10 do sum = sum + gen() end
local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co, 5))
print(pcall(coroutine.resume, coroutine.running()))
local ok, e = xpcall(function() error({code = 42}) end, function(m) return m end)
print(ok, type(e))
print(select("#", pcall(error)))
sim.wait(2)
