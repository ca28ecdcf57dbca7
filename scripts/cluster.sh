#!/usr/bin/env bash
# A local 3-process cluster on loopback: 2 repository nodes and 1 http node, clustered over Hazelcast,
# on PostgreSQL (database ats on 127.0.0.1:5432, user postgres, created if missing). Ctrl-C stops all three.
#   http node:        http://localhost:8080 (API, GraphQL, GraphiQL)
#   repository nodes: http://localhost:8081 and :8082 (/health and /ready only)
# Environment: ATS_PG_URL (default postgresql://postgres@127.0.0.1:5432/ats), HTTP_PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL=${ATS_PG_URL:-postgresql://postgres@127.0.0.1:5432/ats}
HTTP_PORT=${HTTP_PORT:-8080}
DB=${PG_URL##*/}
HOSTPORT=${PG_URL#*@}; HOSTPORT=${HOSTPORT%%/*}
PGUSER_NAME=${PG_URL#postgresql://}; PGUSER_NAME=${PGUSER_NAME%%@*}
if ! psql -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" -U "$PGUSER_NAME" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL does not answer at $HOSTPORT as $PGUSER_NAME (see docs/deployment.md)" >&2
  exit 1
fi
psql -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" -U "$PGUSER_NAME" -d postgres -tAc "select 1 from pg_database where datname = '$DB'" \
  | grep -q 1 || createdb -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" -U "$PGUSER_NAME" "$DB"
make -s build

LOGS=$(mktemp -d)
common=(ATS_STORE=postgres "ATS_PG_URL=$PG_URL" ATS_CLUSTER=true ATS_CLUSTER_HOST=127.0.0.1 ATS_DEMO=true
  ATS_CLUSTER_MEMBERS=127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703 "ATS_CLUSTER_NAME=ats-local-$(id -un)")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; echo "logs: $LOGS"' EXIT INT TERM
start() {  # name port cluster-port role
  env "${common[@]}" ATS_ROLE="$4" ATS_HTTP_PORT="$2" ATS_CLUSTER_PORT="$3" java -jar target/ats-assessments.jar \
    > "$LOGS/$1.log" 2>&1 &
  pids+=($!)
}
start repository-1 8081 5701 repository
start repository-2 8082 5702 repository
start http "$HTTP_PORT" 5703 http
for _ in $(seq 120); do
  curl -fs "http://localhost:$HTTP_PORT/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://localhost:$HTTP_PORT/ready" >/dev/null || { echo "the http node is not ready; see $LOGS" >&2; exit 1; }
cat <<EOT
cluster up (logs in $LOGS): repository nodes on :8081 and :8082, http node on :$HTTP_PORT
  curl -u demo:demo-password -H 'x-account-id: demo-greenhouse' 'http://localhost:$HTTP_PORT/unified/ats/assessments/orders?fields=id,candidate.last_name'
Kill a repository node (kill -9 on its pid: ${pids[0]} or ${pids[1]}) and the API keeps answering. Ctrl-C stops the cluster.
EOT
wait
