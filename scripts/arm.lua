-- arm.lua: the default behaviour of robot arms. An arm stays at its
-- station and offers itself for the operations there; it has no shifts
-- unless its fleet entry has a roster.
return require("worker")
