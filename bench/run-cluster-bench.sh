#!/usr/bin/env bash
# Cluster benchmark: one standalone node vs three-node clusters (replication factor 1 and 2) on
# loopback, then SIGKILL failovers on the replicated cluster. See ClusterBench's class comment.
# Usage, from anywhere:  bench/run-cluster-bench.sh [options]
#   --clients 16 --jit-warmup 15 --warmup 5 --measure 10 --rate 500 --failovers 5
#   --configs single,cluster-rf1,cluster-rf2 --loops 2
# Builds the bench jar; builds server/target/eventplane.jar only if it is missing (set
# EVENTPLANE_REBUILD=1 to rebuild it anyway). The report goes to stdout and to
# bench/target/bench-results/cluster-<timestamp>/report.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
# The shaded jar's manifest names SqsBench; ClusterBench is started by class name.
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.ClusterBench \
  --root "$root" "$@"
