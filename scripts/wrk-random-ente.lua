-- wrk: each request a page of a random synthetic comune (ENTI of them, codes 900001…; PAGE, by
-- default the dashboard), reported as wrk-p95.lua reports.
dofile("scripts/wrk-p95.lua")
local n = tonumber(os.getenv("ENTI") or "1")
local page = os.getenv("PAGE") or "cruscotto"
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
init = function()
  math.randomseed(seed or 1)
end
request = function()
  return wrk.format("GET", "/enti/" .. (900000 + math.random(n)) .. "/cicli/2025/" .. page)
end
