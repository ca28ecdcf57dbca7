#!/bin/bash
# A/B of two jars on the million-order read: each on its own copy of the same store (seeded with the first jar,
# whose migrations the second may extend), alternating, cache on and off, two rounds; CPU from /proc/<pid>/stat.
#   bench/ab.sh OLD.jar NEW.jar   (needs wrk; about 10 minutes; the rows of bench/run.sh are the other tool)
set -euo pipefail
OLD=$(realpath "$1") NEW=$(realpath "$2")
cd "$(dirname "$0")/.."
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; mkdir -p $W/old $W/new
export BENCH_AUTH="Basic $(printf 'demo:demo-password' | base64)" BENCH_ACCOUNT=demo-greenhouse
start() { # jar datadir
  ATS_RATE_LIMIT_PER_MINUTE=1000000000 ATS_DEMO=true ATS_HTTP_HOST=127.0.0.1 ATS_HTTP_PORT=18095 ATS_DATA_DIR=$2 java -Xmx512m -jar $1 > $W/svc.log 2>&1 &
  SVC=$!; until curl -fs http://127.0.0.1:18095/ready >/dev/null 2>&1; do sleep 0.1; done; }
stop() { kill $SVC; wait $SVC 2>/dev/null || true; }
start $OLD $W/old; stop
sql=$W/seed.sql; echo "SET @BASE = (SELECT last_change FROM change_counter WHERE id = 1);" > $sql
for ((lo = 1; lo <= 1000000; lo += 100000)); do hi=$((lo+99999)); cat >> $sql <<SQL
INSERT INTO assessment_order (id, account_id, remote_id, document, exchange, created_ms, updated_ms, change_seq, result_version)
SELECT 'bench-' || X, o.account_id, 'bench-' || X, REPLACE(o.document, o.id, 'bench-' || X),
       '{"method":"POST","url":"bench","body":{},"response":{}}', o.created_ms, o.updated_ms, @BASE + X, 0
FROM SYSTEM_RANGE($lo, $hi) JOIN assessment_order o ON o.id = '8187e5da-dc77-475e-9949-af0f1fa4e4e3';
SQL
done
echo "UPDATE change_counter SET last_change = @BASE + 1000000 WHERE id = 1;" >> $sql
java -Xmx1g -cp $OLD org.h2.tools.RunScript -url "jdbc:h2:file:$W/old/ats-assessments" -user sa -script $sql
cp $W/old/ats-assessments.mv.db $W/new/; sync
for round in 1 2; do
  for which in old new; do
    for cache in on off; do
      if [ $cache = off ]; then export ATS_REPOSITORY_CACHE_SIZE=0; else unset ATS_REPOSITORY_CACHE_SIZE; fi
      if [ $which = old ]; then JAR=$OLD; else JAR=$NEW; fi
      start $JAR $W/$which
      BENCH_ORDERS=1000000 BENCH_QUERY="" wrk -t2 -c64 -d20s -s bench/spread.lua http://127.0.0.1:18095 > /dev/null
      t0=$(awk '{print $14+$15}' /proc/$SVC/stat)
      BENCH_ORDERS=1000000 BENCH_QUERY="" wrk -t2 -c64 -d10s --latency -s bench/spread.lua http://127.0.0.1:18095 > $W/out
      t1=$(awk '{print $14+$15}' /proc/$SVC/stat)
      rps=$(awk '/Requests\/sec/ {print $2}' $W/out); p50=$(awk '/^ +50%/ {print $2}' $W/out); n=$(awk '/requests in/ {print $1}' $W/out)
      echo "round $round $which cache=$cache: $rps req/s, p50 $p50, CPU $(( (t1-t0)*10000000/n )) ns/request"
      stop
    done
  done
done
unset ATS_REPOSITORY_CACHE_SIZE
