-- A dispatch module with a sequencing rule: vehicles as "nearest", and
-- stations take the job with the earliest due date first.
local nearest = require("dispatch").rules.nearest
return {
  vehicle = nearest.vehicle,
  task = nearest.task,
  sequence = function(station, queue)
    local best
    for _, job in ipairs(queue) do
      if job.due and (not best or job.due < best.due) then best = job end
    end
    return best and best.number
  end,
}
