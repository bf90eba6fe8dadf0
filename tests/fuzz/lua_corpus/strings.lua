local s = "weld_1 12.5 kWh; cut_2 3 kWh"
for name, kwh in s:gmatch("(%w+) ([%d.]+) kWh") do print(name, tonumber(kwh)) end
print(s:gsub("%d+", function(d) return "<" .. d .. ">" end))
print(s:find("cut", 1, true), s:match("^(%a+)_(%d)"), ("x"):rep(3, ","))
print(string.format("%5.2f %q %s", 3.14159, "a\nb", {} ~= nil))
local t = {b = 2, a = 1, [3] = "c", [1.5] = "d"}
for k, v in pairs(t) do print(k, v) end
print(next({}), #t, table.concat({1, 2, 3}, "-"), utf8.char(72, 228))
table.sort({5, 3, 1}, function(a, b) return a > b end)
print(math.floor(2.5), math.random(1, 6), tostring(1e308 * 10), 7 // 2, 7 % -3)
