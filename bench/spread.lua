-- wrk script: GET an order picked at random among BENCH_ORDERS ids ("bench-1" ... "bench-N"), with the
-- query in BENCH_QUERY, as the demo user (BENCH_AUTH) on the demo account (BENCH_ACCOUNT).
local count = tonumber(os.getenv("BENCH_ORDERS"))
local query = os.getenv("BENCH_QUERY") or ""
local auth = os.getenv("BENCH_AUTH")
local account = os.getenv("BENCH_ACCOUNT")
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  local path = "/unified/ats/assessments/orders/bench-" .. math.random(1, count) .. query
  return wrk.format("GET", path, {["Authorization"] = auth, ["x-account-id"] = account})
end
