-- wrk script: GET with the Basic credentials and account header
wrk.headers["Authorization"] = os.getenv("BENCH_AUTH")
wrk.headers["x-account-id"] = os.getenv("BENCH_ACCOUNT")
