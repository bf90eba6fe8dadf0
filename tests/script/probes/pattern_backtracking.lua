-- expect: string.find ran past the instruction budget of 100000 on a subject of 5000 bytes
-- Backtracking in the pattern matcher runs in C: its steps count against the budget like instructions.
sim.wait(1)
local s = string.rep("a", 5000)
print(string.find(s, "a*a*a*a*a*b")) -- <- here
