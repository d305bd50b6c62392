#!/usr/bin/env bash
# SNS fan-out benchmark: publish throughput and publish-to-every-queue latency for topics with
# 1, 10 and 50 SQS subscriptions on one node (fsync). See SnsBench's class comment.
# Usage, from anywhere:  bench/run-sns-bench.sh [--subscribers 1,10,50] [--rate 1000] [--clients 16]
#   [--jit-warmup 20] [--warmup 5] [--measure 15]
# Builds the bench jar; builds server/target/eventplane.jar only if it is missing (set
# EVENTPLANE_REBUILD=1 to rebuild it anyway). The report goes to stdout and to
# bench/target/bench-results/sns-<timestamp>/report.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.SnsBench --root "$root" "$@"
