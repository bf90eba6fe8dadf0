-- expect: come in a different order on every run
-- Tables as keys hash by address: pairs over them is refused rather than run in an order that changes.
local set = {}
set[{}] = true
set[{}] = true
for k in pairs(set) do end -- <- here
