-- expect: the name of a process must not hold control characters
-- sim.start checks a name as sim.spawn does: it is printed in error reports.
sim.start("worker\27]0;pwned\7", function() end) -- <- here
