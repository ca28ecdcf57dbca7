-- wrk script: the GraphQL twin of spread.lua with fields=id,candidate: the same order spread, the same fields.
local count = tonumber(os.getenv("BENCH_ORDERS"))
local auth = os.getenv("BENCH_AUTH")
local account = os.getenv("BENCH_ACCOUNT")
local query = "query($id: ID!) { assessmentOrder(id: $id) { id candidate { id remoteId firstName lastName emails { type value } passthrough profileUrl } } }"
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  local body = '{"query":"' .. query .. '","variables":{"id":"bench-' .. math.random(1, count) .. '"}}'
  return wrk.format("POST", "/graphql", {["Authorization"] = auth, ["x-account-id"] = account,
    ["Content-Type"] = "application/json"}, body)
end
