-- wrk script: a Teamtailor partner event for a new partner result on every request (BENCH_TT_AUTH: Bearer key;
-- BENCH_TT_RESULTS: the partner results' base URL)
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  counter = 0
  math.randomseed(os.time() + tid)
  run = tostring(math.random(1, 1000000000))
  -- where the order's "sent" status goes (BENCH_TT_RESULTS: a sink on loopback)
  results = os.getenv("BENCH_TT_RESULTS") or "https://api.teamtailor.com/partner/v1/partner-results"
end
request = function()
  counter = counter + 1
  local id = run .. '-' .. tid .. '-' .. counter
  local body = '{"partner-event":{"id":"evt-' .. id .. '","webhook-data":{"test":"bench-pkg"},' ..
    '"partner-result":{"id":"res-' .. id .. '","status":"sending","update-url":"' .. results .. '/res-' .. id .. '"},' ..
    '"candidate":{"id":54321,"first-name":"Juston","last-name":"Becker","email":"juston@example.com",' ..
    '"job":{"id":12345,"title":"Software Engineer","triggered-by":{"id":31,"email":"ada@example.com","name":"Ada Lovelace"}},' ..
    '"recruiter":{"name":"Grace Hopper","email":"grace@example.com"}}},"company":{"uuid":"bench"}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = os.getenv("BENCH_TT_AUTH")}, body)
end
