# ats-assessments: the two commands a new machine needs are `make run` and `make test`.
MVN ?= mvn -B -ntp
JAR := target/ats-assessments.jar

.PHONY: run test build cluster bench clean

## run: build the jar and start one node on :8080 with the embedded store in ./data and the demo data
## (webhooks may target loopback and private addresses, for a receiver on this machine)
run: $(JAR)
	ATS_DEMO=true ATS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true java -jar $(JAR)

## test: every test (unit, HTTP, clustered, and the jar itself), after installing what they need and is missing
test:
	scripts/test-prerequisites.sh
	$(MVN) verify

## cluster: 2 repository nodes and 1 http node on loopback, clustered, on PostgreSQL (scripts/cluster.sh)
cluster:
	scripts/cluster.sh

## bench: one benchmark run, one table (bench/run.sh; needs wrk)
bench:
	bench/run.sh

## build: target/ats-assessments.jar
build: $(JAR)

$(JAR): pom.xml $(shell find src/main schema conf -type f 2>/dev/null)
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
