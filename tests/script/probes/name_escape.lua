-- expect: the name of a resource must not hold control characters
-- A name reaches the terminal's tables: an escape sequence would repaint it.
local r = sim.resource{capacity = 1, name = "crane\27[2J\27[H"} -- <- here
