-- agv.lua: AGVs carry pallets like forklifts but lift nothing above the
-- floor; the dispatcher gives them only tasks at floor level.
return require("forklift")
