-- expect: the name of a process must not hold control characters
-- A process's name is printed in error reports.
sim.spawn("worker\27]0;pwned\7", function() end) -- <- here
