-- wrk script: POST a new order (a remote id of its own) on every request
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
end
request = function()
  counter = counter + 1
  local body = '{"id":"bench-' .. run .. '-' .. tid .. '-' .. counter .. '","package":{"id":"pkg-1","name":"Test 1"},' ..
    '"candidate":{"first_name":"Ada","last_name":"Lovelace","emails":[{"type":"personal","value":"ada@example.com"}]},' ..
    '"job":{"id":"job-1","title":"Software Engineer","hiring_team":[{"user_id":"123456","email":"john.doe@example.com","role":"Recruiter"}]}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = os.getenv("BENCH_AUTH"),
    ["x-account-id"] = os.getenv("BENCH_ACCOUNT")}, body)
end
