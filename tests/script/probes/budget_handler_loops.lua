-- expect: instructions without yielding
-- A runaway where the budget cannot yield (a sort comparator), under xpcall with a message handler that loops:
-- the handler must never run uncounted.
sim.wait(1)
table.sort({3, 2, 1, 5, 4}, function(a, b)
  xpcall(function() while true do end end, function(m) while true do end end) -- <- here
  return a < b
end)
