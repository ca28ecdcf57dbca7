-- wrk script: Greenhouse's send_test for a new take-home test on every request (BENCH_GH_AUTH: Basic key:)
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
  local body = '{"partner_test_id":"bench-pkg","candidate":{"first_name":"Harry","last_name":"Potter","preferred_name":null,' ..
    '"email":"hpotter@example.com","phone_number":"+44 20 7946 0000",' ..
    '"greenhouse_profile_url":"https://app.greenhouse.io/people/17681532?application_id=26234709"},' ..
    '"sent_by":"sender@example.com","url":"https://app.greenhouse.io/integrations/testing_partners/take_home_tests/' ..
    run .. '-' .. tid .. '-' .. counter .. '"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = os.getenv("BENCH_GH_AUTH")}, body)
end
