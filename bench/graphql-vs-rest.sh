#!/usr/bin/env bash
# GraphQL against REST for the same selection, on one machine, in one run (issue 4's 60% target).
# Builds the jar, starts it with the demo data on 127.0.0.1:$PORT, warms both up, then drives each with
# wrk (64 connections, 2 threads) and prints requests/s, p50, p99 and GraphQL's share of REST.
# Usage: bench/graphql-vs-rest.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
PORT=${PORT:-18089}
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
make -s build
DATA=$(mktemp -d)
ATS_DEMO=true ATS_HTTP_HOST=127.0.0.1 ATS_HTTP_PORT=$PORT ATS_DATA_DIR="$DATA" java -jar target/ats-assessments.jar \
  > "$DATA/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break; sleep 0.2; done

export BENCH_AUTH="Basic $(printf 'demo:demo-password' | base64)" BENCH_ACCOUNT=demo-greenhouse
ORDER=8187e5da-dc77-475e-9949-af0f1fa4e4e3
REST="http://127.0.0.1:$PORT/unified/ats/assessments/orders/$ORDER?fields=id,candidate"
# the same fields: id, and the whole candidate
export BENCH_BODY="{\"query\":\"{ assessmentOrder(id: \\\"$ORDER\\\") { id candidate { id remoteId firstName lastName emails { type value } passthrough profileUrl } } }\"}"
GRAPHQL="http://127.0.0.1:$PORT/graphql"

run() {  # name script url → prints a line, leaves requests/s in $DATA/<name>
  wrk -t2 -c64 -d5s -s "bench/$2" "$3" >/dev/null  # warm-up
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "bench/$2" "$3" > "$DATA/$1.wrk"
  awk -v name="$1" -v out="$DATA/$1" '
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$5}
    END {printf "%-8s %10.0f req/s   p50 %8s   p99 %8s   non-2xx %d\n", name, rps, p50, p99, bad; print rps > out}' "$DATA/$1.wrk"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk on the same machine"
run REST rest.lua "$REST"
run GraphQL graphql.lua "$GRAPHQL"
awk -v r="$(cat "$DATA/REST")" -v g="$(cat "$DATA/GraphQL")" 'BEGIN {printf "GraphQL / REST: %.0f%%\n", 100 * g / r}'
