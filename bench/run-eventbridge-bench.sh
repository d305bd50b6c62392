#!/usr/bin/env bash
# EventBridge benchmark: Eventplane (one node, its defaults: fsync) and moto 5.2.1 in server mode side by side, on
# loopback: PutEvents entries/s with 1, 100 and 10,000 rules on the bus (events matching one rule, and none),
# PutEvents -> SQS receivable p50/p99 at 500 events/s, replay rate. See EventBridgeBench's class comment.
# Usage, from anywhere:  bench/run-eventbridge-bench.sh [--rounds 3] [--rules 1,100,10000] [--match one,none]
#   [--clients 16] [--batch 10] [--jit-warmup 20] [--warmup 3] [--measure 10] [--rate 500] [--latency-rules 100]
#   [--latency-batch 1] [--pollers 4] [--replay-events 10000] [--targets eventplane,moto]
#   [--eventplane-args "..."] [--eventplane-alt-args "..."] [--server-jvm-opts "..."] [--python python3]
# Needs moto in server mode for that python (pip install 'moto[server]==5.2.1'). Builds the bench jar; builds
# server/target/eventplane.jar only if it is missing (set EVENTPLANE_REBUILD=1 to rebuild it anyway). The report
# goes to stdout and, with both servers' logs, to bench/target/bench-results/eventbridge-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.EventBridgeBench --root "$root" "$@"
