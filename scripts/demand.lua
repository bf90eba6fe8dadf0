-- demand.lua: the scenario's arrivals and orders, as processes.
--
-- Units of a product arrive at its source dock (the scenario's arrivals:
-- every `every`, in `batch`es, products drawn by the mix) and orders
-- (the scenario's order list) ask for units at their time. A unit of a
-- product with a routing is a job for the stations (shop.release); one
-- without is a pallet for the warehouse (warehouse.lua): put away on
-- arrival, retrieved for an order line.

local M = {}

-- A unit of product `name` arrives now, due at `due` (or nil).
local function arrive(warehouse, products, name, due)
  if products[name].routed then
    shop.release(name, due)
  else
    warehouse:arrive(name, due)
  end
end

-- One process per arrival stream, drawing its products from the stream "mix.<name>".
local function arrivals(warehouse, products)
  for _, a in ipairs(shop.arrivals()) do
    local mix = sim.rng("mix." .. a.name)
    local total = 0
    for _, m in ipairs(a.mix) do total = total + m.weight end
    sim.spawn("arrivals " .. a.name, function()
      sim.wait(a.start)
      while true do
        sim.wait(shop.next_arrival(a.index))
        if a.stop and sim.now() > a.stop then return end
        local u, pick = mix:random() * total, a.mix[#a.mix].product
        for _, m in ipairs(a.mix) do
          if u < m.weight then pick = m.product break end
          u = u - m.weight
        end
        for _ = 1, a.batch do arrive(warehouse, products, pick, a.due_in and sim.now() + a.due_in) end
      end
    end)
  end
end

-- One process per order, at its time, and again every `every` when it repeats (its due date moves with it).
local function orders(warehouse, products)
  for _, o in ipairs(shop.orders()) do
    sim.spawn("order " .. o.name, function()
      sim.wait(o.at)
      local due = o.due
      while true do
        for _ = 1, o.quantity do
          if products[o.product].routed then
            shop.release(o.product, due)
          else
            warehouse:order(o.product, due)
          end
        end
        if not o.every then return end
        sim.wait(o.every)
        due = due and due + o.every
      end
    end)
  end
end

-- Start the arrivals, then the orders. `products` by name, from shop.products().
function M.start(warehouse, products)
  arrivals(warehouse, products)
  orders(warehouse, products)
end

return M
