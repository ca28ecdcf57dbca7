#!/usr/bin/env bash
# make bench: one run, one table. Builds the jar, seeds orders in bulk into the embedded store, starts the
# service (-Xmx512m) and a baseline server that answers the same URLs with the same bytes, drives each
# with wrk (64 connections, 2 threads, on this machine over loopback), then the same POSTs with one webhook
# subscription to a loopback receiver (bench/WebhookReceiver.java) and POSTs paced at WEBHOOK_RATE per second
# (bench/PacedPost.java), then GraphQL subscribers (bench/Subscribers.java) receiving paced POSTs' events, then
# grows the store to a million orders and measures again.
# Environment: DURATION (seconds per row, default 15), WARMUP (seconds of load before each row, default 30),
# ORDERS (default 1000), BIG (default 1000000), WEBHOOK_WARMUP (seconds of POSTs with the subscription before
# its row, default 10: the POST path is warm from the row before), WEBHOOK_RATE (paced POSTs per second, default
# 200) and WEBHOOK_PACED (seconds of them measured, default 20, after 5); SUBSCRIBERS (GraphQL subscriptions, each
# on its own WebSocket: bench/Subscribers.java, default 1000), SUBS_RATE (paced POSTs per second while they listen,
# default 200), SUBS_WARMUP (seconds of them before the window, default 20: the subscribers' JIT and the
# service's fan-out path start cold) and SUBS_PACED (seconds measured, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
# the JIT is still compiling after 10 s of load (10 s windows from a cold start measured ~10k, 25k, then 36k GET/s)
WARMUP=${WARMUP:-30}
ORDERS=${ORDERS:-1000}
BIG=${BIG:-1000000}
PORT=${PORT:-18090}
BASE_PORT=${BASE_PORT:-18091}
HOOK_PORT=${HOOK_PORT:-18092}
SINK_PORT=${SINK_PORT:-18093}
WEBHOOK_WARMUP=${WEBHOOK_WARMUP:-10}
WEBHOOK_RATE=${WEBHOOK_RATE:-200}
WEBHOOK_PACED=${WEBHOOK_PACED:-20}
SUBS_PORT=${SUBS_PORT:-18094}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
SUBS_RATE=${SUBS_RATE:-200}
SUBS_PACED=${SUBS_PACED:-10}
SUBS_WARMUP=${SUBS_WARMUP:-20}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
make -s build
JAR=target/ats-assessments.jar
WORK=$(mktemp -d)
SERVICE= BASELINE= RECEIVER= SINK= SUBS=
cleanup() { kill $SERVICE $BASELINE $RECEIVER $SINK $SUBS 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
export BENCH_AUTH="Basic $(printf 'demo:demo-password' | base64)" BENCH_ACCOUNT=demo-greenhouse
# connector accounts of the demo user, for the send_test and Teamtailor webhook rows (credentials by variable);
# bench-tt is told "sent" in the webhook's answer (the default), bench-tt-put by a PUT through the outbox, each
# to a sink on loopback (a second bench/WebhookReceiver.java)
export BENCH_GH_KEY=bench-gh-key BENCH_TT_KEY=bench-tt-key BENCH_SECRET=unused
export BENCH_TT_RESULTS="http://127.0.0.1:$SINK_PORT/partner/v1/partner-results"
export BENCH_GH_AUTH="Basic $(printf 'bench-gh-key:' | base64)" BENCH_TT_AUTH="Bearer bench-tt-key"
cat > "$WORK/accounts.json" <<'JSON'
{ "accounts": [
  { "id": "bench-gh", "users": ["demo"], "provider": { "type": "greenhouse", "inbound_key_env": "BENCH_GH_KEY",
    "partner_username_env": "BENCH_SECRET", "partner_password_env": "BENCH_SECRET", "allowed_callback_hosts": ["app.greenhouse.io"] } },
  { "id": "bench-tt", "users": ["demo"], "provider": { "type": "teamtailor", "provider_key_env": "BENCH_TT_KEY",
    "api_key_env": "BENCH_SECRET", "allowed_callback_hosts": ["api.teamtailor.com", "127.0.0.1"] } },
  { "id": "bench-tt-put", "users": ["demo"], "provider": { "type": "teamtailor", "provider_key_env": "BENCH_TT_KEY",
    "api_key_env": "BENCH_SECRET", "allowed_callback_hosts": ["api.teamtailor.com", "127.0.0.1"], "sent_status": "put" } } ] }
JSON

start_service() {  # [VAR=value...] → $SERVICE, and the milliseconds from start to /ready in $READY_MS
  local t0; t0=$(date +%s%N)
  # the rate limiter runs (its cost is measured) with a limit no row reaches
  env ATS_RATE_LIMIT_PER_MINUTE=1000000000 ATS_ACCOUNTS="$WORK/accounts.json" "$@" ATS_DEMO=true ATS_HTTP_HOST=127.0.0.1 ATS_HTTP_PORT=$PORT ATS_DATA_DIR="$WORK/data" \
    java -Xmx512m -jar "$JAR" >> "$WORK/service.log" 2>&1 &
  SERVICE=$!
  until curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1; do
    kill -0 $SERVICE 2>/dev/null || { cat "$WORK/service.log" >&2; exit 1; }
    sleep 0.05
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop_service() { kill $SERVICE; wait $SERVICE 2>/dev/null || true; }

seed() {  # from to: bulk-insert orders bench-<from> .. bench-<to>, copies of the demo order, in 100k chunks
  local from=$1 to=$2 sql="$WORK/seed.sql"
  # change numbers continue from the counter (POSTs of an earlier row have taken some)
  echo "SET @BASE = (SELECT last_change FROM change_counter WHERE id = 1);" > "$sql"
  for ((lo = from; lo <= to; lo += 100000)); do
    local hi=$(( lo + 99999 < to ? lo + 99999 : to ))
    cat >> "$sql" <<SQL
INSERT INTO assessment_order (id, account_id, remote_id, document, exchange, created_ms, updated_ms, change_seq, result_version)
SELECT 'bench-' || X, o.account_id, 'bench-' || X, REPLACE(o.document, o.id, 'bench-' || X),
       '{"method":"POST","url":"bench","body":{},"response":{}}', o.created_ms, o.updated_ms, @BASE + X - $from + 1, 0
FROM SYSTEM_RANGE($lo, $hi) JOIN assessment_order o ON o.id = '8187e5da-dc77-475e-9949-af0f1fa4e4e3';
SQL
  done
  echo "UPDATE change_counter SET last_change = @BASE + $to - $from + 1 WHERE id = 1;" >> "$sql"
  java -Xmx1g -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$WORK/data/ats-assessments" -user sa -script "$sql"
  # the seed leaves gigabytes of dirty pages: write them out before the next start and rows, not during them
  sync
}

run() {  # name script url: wrk with warm-up, then $BEFORE_ROW (if set); leaves "rps p50 p99 non-2xx" in $WORK/<name>
  local name=$1 script=$2 url=$3
  wrk -t2 -c64 -d"${WARMUP}s" -s "bench/$script" "$url" > /dev/null  # warm-up (the JIT needs it)
  ${BEFORE_ROW:-true}
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "bench/$script" "$url" > "$WORK/$name.wrk"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$5}
       END {print rps, p50, p99, bad+0}' "$WORK/$name.wrk" > "$WORK/$name"
}

echo "seeding $ORDERS orders..." >&2
start_service; stop_service           # migrations and the demo data
seed 1 "$ORDERS"
# the webhook receiver of the webhook rows (a loopback target, allowed on the small store's service only)
java -cp "$JAR" bench/WebhookReceiver.java "$HOOK_PORT" > "$WORK/receiver.log" 2>&1 &
RECEIVER=$!
start_service ATS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true

# the baseline serves, for every order URL, the bytes the service answered
mkdir -p "$WORK/responses"
seq 1 "$ORDERS" | xargs -P 4 -I{} sh -c "curl -fs -H 'Authorization: $BENCH_AUTH' -H 'x-account-id: $BENCH_ACCOUNT' \
  http://127.0.0.1:$PORT/unified/ats/assessments/orders/bench-{} -o '$WORK/responses/{}.json'"
for i in $(seq 1 "$ORDERS"); do printf '/unified/ats/assessments/orders/bench-%s\t%s.json\n' "$i" "$i"; done > "$WORK/responses/urls.tsv"
java -cp "$JAR" bench/Baseline.java "$BASE_PORT" "$WORK/responses" > "$WORK/baseline.log" 2>&1 &
BASELINE=$!
until curl -fs "http://127.0.0.1:$BASE_PORT/unified/ats/assessments/orders/bench-1" >/dev/null 2>&1; do sleep 0.1; done

export BENCH_ORDERS=$ORDERS
echo "measuring ($DURATION s per row)..." >&2
BENCH_QUERY="" run baseline spread.lua "http://127.0.0.1:$BASE_PORT"
kill $BASELINE; wait $BASELINE 2>/dev/null || true; BASELINE=
BENCH_QUERY="" run rest spread.lua "http://127.0.0.1:$PORT"
BENCH_QUERY="?fields=id,candidate" run rest_fields spread.lua "http://127.0.0.1:$PORT"
run graphql graphql-spread.lua "http://127.0.0.1:$PORT"
run post post.lua "http://127.0.0.1:$PORT/unified/ats/assessments/orders"
# orders from the connectors: the same durable create behind each ATS's own endpoint (auth, mapping, a package read)
for account in bench-gh bench-tt bench-tt-put; do
  curl -fs -X PUT -H "Authorization: $BENCH_AUTH" -H "x-account-id: $account" -H 'Content-Type: application/json' \
    -d '{"name":"Bench test"}' "http://127.0.0.1:$PORT/unified/ats/assessments/packages/bench-pkg" -o /dev/null
done
run send_test send_test.lua "http://127.0.0.1:$PORT/connectors/greenhouse/bench-gh/send_test"
java -cp "$JAR" bench/WebhookReceiver.java "$SINK_PORT" > "$WORK/sink.log" 2>&1 &
SINK=$!
until curl -fs "http://127.0.0.1:$SINK_PORT/stats" >/dev/null 2>&1; do sleep 0.1; done
# after the warm-up, the "sent" calls it left queued go out before the row (none for 2 s, at most 60 s), so the
# row measures orders and their calls flowing together, not a backlog being caught up
drain_sink() {
  local started=$(date +%s) quiet=0 last=-1 now
  while (( quiet < 4 && $(date +%s) - started < 60 )); do
    now=$(curl -fs "http://127.0.0.1:$SINK_PORT/stats" | awk '{print $13}')
    if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0 last=$now; fi
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$SINK_PORT/reset" -o /dev/null
}
# the calls to Teamtailor made during a row (bodies without an event_date: field 11, zeroed by the reset), per second
sink_calls() { curl -fs "http://127.0.0.1:$SINK_PORT/stats" | awk -v d="$DURATION" '{printf "%.0f\n", $11 / d}' > "$WORK/$1"; }
BEFORE_ROW=drain_sink run tt_webhook tt_webhook.lua "http://127.0.0.1:$PORT/connectors/teamtailor/bench-tt/webhook"
sink_calls tt_pushes
BEFORE_ROW=drain_sink run tt_webhook_put tt_webhook.lua "http://127.0.0.1:$PORT/connectors/teamtailor/bench-tt-put/webhook"
sink_calls tt_put_pushes
sleep 2; kill $SINK; wait $SINK 2>/dev/null || true; SINK=

# webhooks: the same POSTs with one subscription (every order a delivery to the receiver), then paced POSTs
HOOK="http://127.0.0.1:$HOOK_PORT" hooks_started=$(date +%s)
until curl -fs "$HOOK/stats" >/dev/null 2>&1; do kill -0 $RECEIVER 2>/dev/null || { cat "$WORK/receiver.log" >&2; exit 1; }; sleep 0.1; done
curl -fs -X POST -H "Authorization: $BENCH_AUTH" -H 'Content-Type: application/json' -d "{\"url\":\"$HOOK/bench\"}" \
  "http://127.0.0.1:$PORT/webhooks" > "$WORK/subscription.json"
BEFORE_ROW="curl -fs $HOOK/reset -o /dev/null" WARMUP=$WEBHOOK_WARMUP run post_hook post.lua "http://127.0.0.1:$PORT/unified/ats/assessments/orders"
curl -fs "$HOOK/stats" > "$WORK/hook_load"  # the deliveries received while the row ran
# what is still to deliver arrives before the paced load (none for 2 s: none left, the poller claims every second)
drain_started=$(date +%s%N) last_change=$(date +%s%N) quiet=0 last=-1
while (( quiet < 4 && $(date +%s%N) - drain_started < 60000000000 )); do
  received=$(curl -fs "$HOOK/stats" | awk '{print $13}')
  if [ "$received" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0 last=$received last_change=$(date +%s%N); fi
  sleep 0.5
done
DRAIN_MS=$(( (last_change - drain_started) / 1000000 ))
# paced: 5 s (the sender's JIT, the receiver's window starts after it), then WEBHOOK_PACED s measured
java -cp "$JAR" bench/PacedPost.java "$PORT" "$WEBHOOK_RATE" 5 "$WEBHOOK_PACED" "$HOOK/reset?fresh" > "$WORK/paced.out" 2> "$WORK/paced.log"
sleep 1  # the last deliveries
curl -fs "$HOOK/stats" > "$WORK/hook_paced"
kill $RECEIVER; wait $RECEIVER 2>/dev/null || true; RECEIVER=
# the rows after these start with the store as it was without webhooks: the subscription goes, its deliveries with it
SUBSCRIPTION=$(grep -o '"id":"[^"]*"' "$WORK/subscription.json" | head -1 | cut -d'"' -f4)
curl -fs -X DELETE -H "Authorization: $BENCH_AUTH" "http://127.0.0.1:$PORT/webhooks/$SUBSCRIPTION" -o /dev/null \
  || echo "deleting the webhook subscription failed (the rows after go on with it)" >&2
WEBHOOK_S=$(( $(date +%s) - hooks_started ))
# GraphQL subscriptions: SUBSCRIBERS WebSockets (one subscription each) to the account's created orders, then
# POSTs paced at SUBS_RATE per second: every subscriber must receive every event (missing 0), commit to receipt
java -Xmx1g -cp "$JAR" bench/Subscribers.java "$PORT" "$SUBSCRIBERS" "$SUBS_PORT" > "$WORK/subscribers.log" 2>&1 &
SUBS=$!
until grep -q '^subscribed' "$WORK/subscribers.log" 2>/dev/null; do
  kill -0 $SUBS 2>/dev/null || { cat "$WORK/subscribers.log" >&2; exit 1; }
  sleep 0.2
done
until curl -fs "http://127.0.0.1:$SUBS_PORT/stats" >/dev/null 2>&1; do sleep 0.1; done
java -cp "$JAR" bench/PacedPost.java "$PORT" "$SUBS_RATE" "$SUBS_WARMUP" "$SUBS_PACED" "http://127.0.0.1:$SUBS_PORT/reset" > "$WORK/subs_paced.out" 2> "$WORK/subs_paced.log"
sleep 2  # the last events on their way
curl -fs "http://127.0.0.1:$SUBS_PORT/stats" > "$WORK/subs_stats"
kill $SUBS; wait $SUBS 2>/dev/null || true; SUBS=
READY_SMALL=$READY_MS
stop_service
# the same GET with the order cache off: every read is a store read, the figure to compare with a big store
start_service ATS_REPOSITORY_CACHE_SIZE=0
BENCH_QUERY="" run rest_nocache spread.lua "http://127.0.0.1:$PORT"
stop_service

echo "growing the store to $BIG orders..." >&2
seed_started=$(date +%s)
seed $((ORDERS + 1)) "$BIG"
SEED_S=$(( $(date +%s) - seed_started ))
start_service
BENCH_ORDERS=$BIG BENCH_QUERY="" run rest_big spread.lua "http://127.0.0.1:$PORT"
# the small store's workload (ids spread over its 1,000 orders) on the big store: what data growth alone costs
BENCH_ORDERS=$ORDERS BENCH_QUERY="" run rest_big_same spread.lua "http://127.0.0.1:$PORT"
READY_BIG=$READY_MS
HEAP=$(jcmd $SERVICE GC.heap_info 2>/dev/null | grep -m1 'garbage-first heap' | sed 's/.*heap *//; s/ *\[.*//')
stop_service
start_service ATS_REPOSITORY_CACHE_SIZE=0
BENCH_ORDERS=$BIG BENCH_QUERY="" run rest_big_nocache spread.lua "http://127.0.0.1:$PORT"
stop_service

ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.0f", v * 1000 }'; }
base=$(awk '{print $1}' "$WORK/baseline")
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB; wrk -t2 -c64 on the same machine, ${DURATION} s per row after ${WARMUP} s of warm-up; service with -Xmx512m"
printf '%-44s %10s %9s %9s %9s %8s\n' "row ($ORDERS orders unless said)" "req/s" "p50 ms" "p99 ms" "baseline" "non-2xx"
# the webhook rows: deliveries received per second, and receive time - event_date at the receiver
read -r _ _ hook_rate hook_p50 hook_p99 _ < "$WORK/hook_load"
echo "$hook_rate ${hook_p50}ms ${hook_p99}ms -" > "$WORK/hook_load_row"
read -r paced_sent paced_rate paced_post_p50 paced_post_p99 paced_bad paced_errors < "$WORK/paced.out"
read -r paced_hooks _ _ paced_p50 paced_p99 paced_max paced_q50 paced_q99 paced_w50 paced_w99 _ _ _ < "$WORK/hook_paced"
echo "$(( paced_hooks / WEBHOOK_PACED )) ${paced_p50}ms ${paced_p99}ms $((paced_bad + paced_errors))" > "$WORK/hook_paced_row"
for row in baseline rest rest_fields graphql post send_test tt_webhook tt_webhook_put post_hook hook_load_row hook_paced_row rest_nocache rest_big rest_big_same rest_big_nocache; do
  read -r rps p50 p99 bad < "$WORK/$row"
  pct=$(awk -v r="$rps" -v b="$base" 'BEGIN {printf "%.0f%%", 100 * r / b}')
  case $row in
    baseline) label="baseline: same bytes, no auth/bus/store";;
    rest) label="REST GET order (spread over all ids)";;
    rest_fields) label="REST GET ?fields=id,candidate";;
    graphql) label="GraphQL, same selection";;
    post) label="REST POST new orders (durable)";;
    send_test) label="Greenhouse send_test (durable)";;
    tt_webhook) label="Teamtailor webhook (durable)";;
    tt_webhook_put) label="  the same, sent_status put";;
    post_hook) label="REST POST, one webhook subscription";;
    hook_load_row) label="  webhooks delivered during that row"; pct=-;;
    hook_paced_row) label="  webhooks at $WEBHOOK_RATE POST/s (paced)"; pct=-;;
    rest_nocache) label="REST GET order, order cache off";;
    rest_big) label="REST GET order, $BIG orders stored";;
    rest_big_same) label="REST GET, $BIG stored, first $ORDERS ids";;
    rest_big_nocache) label="REST GET, $BIG orders, order cache off";;
  esac
  printf '%-44s %10.0f %9s %9s %9s %8s\n' "$label" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$pct" "$bad"
done
read -r rest_rps rest_p50 _ < "$WORK/rest"; read -r f_rps _ < "$WORK/rest_fields"; read -r g_rps _ < "$WORK/graphql"; read -r big_rps big_p50 _ < "$WORK/rest_big"
read -r _ nc_p50 _ < "$WORK/rest_nocache"; read -r _ big_nc_p50 _ < "$WORK/rest_big_nocache"; read -r _ same_p50 _ < "$WORK/rest_big_same"
echo
awk -v g="$g_rps" -v r="$f_rps" 'BEGIN {printf "GraphQL / REST with the same fields: %.0f%%\n", 100 * g / r}'
read -r post_rps _ < "$WORK/post"; read -r hook_post_rps _ < "$WORK/post_hook"
read -r gh_rps _ < "$WORK/send_test"; read -r tt_rps _ < "$WORK/tt_webhook"; read -r ttp_rps _ < "$WORK/tt_webhook_put"
awk -v g="$gh_rps" -v t="$tt_rps" -v q="$ttp_rps" -v p="$post_rps" -v s="$(cat "$WORK/tt_pushes")" -v u="$(cat "$WORK/tt_put_pushes")" 'BEGIN {printf "connector orders / POST: Greenhouse send_test %.0f%%, Teamtailor webhook %.0f%% (\"sent\" in its answer; calls to Teamtailor during the row: %d/s); with sent_status put %.0f%% (its \"sent\" PUTs: %d/s during the row)\n", 100 * g / p, 100 * t / p, s, 100 * q / p, u}'
awk -v h="$hook_post_rps" -v p="$post_rps" 'BEGIN {printf "POST with one webhook subscription / without: %.0f%%\n", 100 * h / p}'
awk -v d="$hook_rate" -v h="$hook_post_rps" -v s="$DRAIN_MS" 'BEGIN {printf "webhooks delivered under that POST load: %.0f/s (%.0f%% of the POSTs/s); the last delivered %.1f s after it\n", d, 100 * d / h, s / 1000}'
echo "commit to delivery (receive time - event_date) at $WEBHOOK_RATE POST/s: p50 $paced_p50 ms, p99 $paced_p99 ms, max $paced_max ms;" \
  "event_date to the attempt p99 $paced_q99 ms, the attempt p99 $paced_w99 ms; the paced POSTs answered in p50 $paced_post_p50 ms, p99 $paced_post_p99 ms" \
  "($paced_sent sent in $WEBHOOK_PACED s); the webhook rows took $WEBHOOK_S s"
awk -v a="$(ms "$big_p50")" -v b="$(ms "$rest_p50")" -v n="$BIG" 'BEGIN {printf "GET p50 with %d orders / with the small store: %.2fx\n", n, a / b}'
awk -v a="$(ms "$same_p50")" -v b="$(ms "$rest_p50")" -v n="$BIG" -v o="$ORDERS" 'BEGIN {printf "the same %d ids read from %d orders / from the small store: %.2fx\n", o, n, a / b}'
awk -v a="$(ms "$big_nc_p50")" -v b="$(ms "$nc_p50")" -v n="$BIG" 'BEGIN {printf "GET p50 with %d orders / small store, both with the order cache off (store reads only): %.2fx\n", n, a / b}'
read -r s_sent _ s_post_p50 s_post_p99 _ _ < "$WORK/subs_paced.out"
read -r s_events s_deliveries s_missing s_p50 s_p99 s_max _ _ < "$WORK/subs_stats"
echo "GraphQL subscriptions: $SUBSCRIBERS subscribers at $SUBS_RATE POST/s: $s_events events, $s_deliveries deliveries ($(( s_deliveries / SUBS_PACED ))/s)," \
  "$s_missing missing; commit to receipt p50 $s_p50 ms, p99 $s_p99 ms, max $s_max ms; the paced POSTs answered in p50 $s_post_p50 ms, p99 $s_post_p99 ms"
echo "/ready after start: ${READY_SMALL} ms (small store), ${READY_BIG} ms ($BIG orders); seeding $BIG orders took ${SEED_S} s; heap at the end: ${HEAP:-n/a}"
