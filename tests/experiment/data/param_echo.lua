-- param_echo.lua: reports the parameters optimize gives a Lua model, for
-- the tests: x as a tally (a number), and whether name arrived as text.
sim.tally("x"):add(param.x)
sim.tally("name is text"):add(type(param.name) == "string" and #param.name or -1)
