#!/usr/bin/env bash
# What metrics cost: SQS SendMessage with --metrics on and off (and detailed: --modes on,off,detailed) in one run (issue 18).
# Usage, from anywhere:  bench/run-metrics-bench.sh [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5]
#   [--jit-warmup 5] [--modes on,off] [--durability none|fsync] [--jfr on]
# Builds the bench jar; builds server/target/eventplane.jar only if it is missing (EVENTPLANE_REBUILD=1
# rebuilds it anyway). The report goes to stdout and, with the servers' logs, to
# bench/target/bench-results/metrics-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.MetricsBench --root "$root" "$@"
