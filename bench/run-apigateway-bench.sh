#!/usr/bin/env bash
# API Gateway invoke-plane benchmark, on loopback, one Eventplane node (fsync) and the SQS bench's bare Vert.x endpoint,
# both started and stopped by the bench (see ApiGatewayBench's class comment and docs/benchmarks.md):
# - mock: a REST API MOCK method vs the bare endpoint: req/s and p50/p99 (goal: >= 50% of the bare endpoint's req/s)
# - kinesis: an HTTP API Kinesis-PutRecord route vs PutRecord called directly (goal: within 1.5x)
# - lambda: an HTTP API Lambda proxy route (payload 2.0, examples jar's HttpEcho) vs Invoke (goal: p50 < 3 ms warm)
# - ingest: POST -> Kinesis -> Firehose -> object in the bucket, Firehose buffer interval 0 and 60 s
# Usage, from anywhere:  bench/run-apigateway-bench.sh [--rounds 3] [--callers 1,16] [--lambda-callers 1,8]
#   [--warmup 3] [--measure 8] [--jit-warmup 10] [--body 256] [--ingest-samples 10] [--buffered-samples 2]
#   [--buffer-interval 60] [--cases mock,kinesis,lambda,ingest] [--jfr true]
# A short check: --rounds 1 --warmup 1 --measure 2 --jit-warmup 2 --ingest-samples 2 --buffered-samples 1 --buffer-interval 5
# Builds the bench jar and examples/target/eventplane-examples.jar (the function's code); builds
# server/target/eventplane.jar only if it is missing (EVENTPLANE_REBUILD=1 rebuilds it anyway). The report goes to
# stdout and, with the servers' logs, to bench/target/bench-results/apigateway-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
# -am: the bench compiles against this checkout's common, not an installed one; examples: the function's code
mvn -B -q package -DskipTests -pl bench,examples -am
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.ApiGatewayBench --root "$root" "$@"
