-- charging.lua: going to a charger, for everything on a battery
-- (forklifts, AGVs, humanoids). `chargers` is the plant's list
-- {name, place, slots, spots = sim.resource}, one spot per slot; a
-- battery swap takes a spot too, for its `swap` time.
--
-- The battery's `charging` rule (agent:charging_rule()) says when:
--   threshold    below charge_below: charge to charge_until (if_low);
--   opportunity  that, and when idle and below charge_until, top up if a
--                spot is free (top_up; forklifts and AGVs);
--   off_peak     both, but not in a peak band of the tariff (shop.peak()):
--                there, no top-ups, and a battery below charge_below works
--                on down to half of it (its reserve); below the reserve it
--                charges only back to charge_below.
local M = {}

-- The charger nearest the agent over the path network, or nil.
function M.nearest(agent, chargers)
  local best, best_d
  for _, c in ipairs(chargers) do
    local d = shop.distance(agent:node(), c.place)
    if d and (not best_d or d < best_d) then best, best_d = c, d end
  end
  return best
end

-- The spare packs of the agent's fleet entry, one resource per entry (made when first needed):
-- holding one means a spare is promised to this agent.
local function spares(agent, chargers, count)
  chargers.spares = chargers.spares or {}
  local r = chargers.spares[agent:type()]
  if not r then
    r = sim.resource{capacity = count, name = "spare packs of " .. agent:type()}
    chargers.spares[agent:type()] = r
  end
  return r
end

-- Below its charge_below: go to the nearest charger, wait for a spot and
-- charge to charge_until, or, when its battery is swapped (battery
-- `swap`), wait for a spare pack and swap it. Off peak, in a peak band:
-- nothing above the reserve (half of charge_below), and back to
-- charge_below only below it. Nothing for an agent without a battery.
function M.if_low(agent, chargers)
  local below, upto, count = agent:battery_policy()
  if not below or agent:battery() >= below then return end
  if agent:charging_rule() == "off_peak" and shop.peak() then
    if agent:battery() >= below / 2 then return end
    upto = below
  end
  local c = M.nearest(agent, chargers)
  if not c then return end
  agent:move_to(c.place)
  c.spots:acquire()
  if count then
    local pool = spares(agent, chargers, count)
    pool:acquire()
    agent:swap(c.name)
    pool:release()
  else
    agent:charge(c.name, upto)
  end
  c.spots:release()
end

-- Idle and not full: top up at the nearest charger if a spot is free right
-- now (opportunity and off_peak outside peak bands; a battery that is
-- swapped is not topped up).
function M.top_up(agent, chargers)
  local _, upto, spares_count = agent:battery_policy()
  if not upto or spares_count or agent:battery() >= upto then return end
  local rule = agent:charging_rule()
  if rule == "threshold" or (rule == "off_peak" and shop.peak()) then return end
  local c = M.nearest(agent, chargers)
  if not c or c.spots:count() >= c.slots then return end
  agent:move_to(c.place)
  if c.spots:acquire(1, 0, 0) then -- no waiting: another vehicle may have taken the spot meanwhile
    agent:charge(c.name)
    c.spots:release()
  end
end

return M
