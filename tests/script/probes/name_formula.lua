-- expect: the name of a tally must not begin with '=', '+', '-' or '@' (a spreadsheet would run it as a formula)
-- A name goes into results.csv: one a spreadsheet runs as a formula is refused.
local t = sim.tally("=cmd|' /C calc'!A0") -- <- here
