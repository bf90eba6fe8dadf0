-- A machine shop with breakdowns: each machine makes parts one after
-- another; a breakdown process interrupts it at random, and the repair
-- needs the one repairer, whom routine maintenance jobs also use at a
-- lower priority (the repairer is preempted for a breakdown).
--
--   shopfloor run examples/machine_shop.lua --until 28d
local MACHINES = 6
local repairer = sim.resource{capacity = 1, preemptive = true, name = "repairer"}
local parts_made = sim.tally("parts per machine")
local downtime = sim.tally("repair time (min)")
local rng = {
  work = sim.rng("processing"), fail = sim.rng("failures"),
  repair = sim.rng("repairs"), jobs = sim.rng("maintenance"),
}

local working = {}                                -- machines that can break down now

local function machine(i)
  local parts = 0
  while true do
    local left = rng.work:normal(600, 30)          -- seconds per part
    while left > 0 do
      local start = sim.now()
      working[i] = true
      local ok, err = pcall(sim.wait, left)
      working[i] = false
      if ok then
        left = 0
      elseif sim.is_interrupt(err) and err.cause == "breakdown" then
        left = left - (sim.now() - start)
        local broken = sim.now()
        repairer:acquire(1, 1)                      -- breakdowns before maintenance
        sim.wait(rng.repair:exp(1800))
        repairer:release()
        downtime:add((sim.now() - broken) / 60)
      else
        error(err)
      end
    end
    parts = parts + 1
    if sim.now() > 3 * 7 * 24 * 3600 then          -- after three weeks: report and stop
      parts_made:add(parts)
      return
    end
  end
end

for i = 1, MACHINES do
  local m = sim.spawn("machine " .. i, machine, i)
  sim.spawn("breakdowns of machine " .. i, function()
    while m:is_alive() do
      sim.wait(rng.fail:exp(5 * 3600))
      if working[i] then m:interrupt("breakdown") end
    end
  end)
end

sim.spawn("maintenance", function()
  while true do
    sim.wait(rng.jobs:exp(4 * 3600))
    repairer:acquire(1, 10)
    local ok, err = pcall(sim.wait, 3600)
    if ok then repairer:release() elseif not sim.is_interrupt(err) then error(err) end
  end
end)
