-- expect: too long
-- A wait past the end of representable time is too long, not negative.
sim.wait(9.3e9) -- <- here
