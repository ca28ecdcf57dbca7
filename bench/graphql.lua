-- wrk script: POST the same GraphQL query on every request (path and auth come from the command line)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
wrk.headers["x-account-id"] = os.getenv("BENCH_ACCOUNT")
wrk.body = os.getenv("BENCH_BODY")
