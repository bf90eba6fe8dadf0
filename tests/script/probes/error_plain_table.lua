-- expect: (error object is a table value)
-- A plain table as the error value: its type is named, not "nil".
sim.wait(1)
error({code = 42}) -- <- here
