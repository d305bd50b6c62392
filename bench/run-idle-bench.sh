#!/usr/bin/env bash
# Idle-cluster cost: three nodes of the packaged server, no traffic, CPU per node from /proc.
# See IdleClusterBench's class comment.
# Usage, from anywhere:  bench/run-idle-bench.sh [--settle 30] [--measure 60] [--runs 3] [--top 8]
# Builds the bench jar; builds server/target/eventplane.jar only if it is missing (set
# EVENTPLANE_REBUILD=1 to rebuild it anyway).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
# The shaded jar's manifest names SqsBench; IdleClusterBench is started by class name.
exec java -Xmx256m -cp bench/target/eventplane-bench.jar io.eventplane.bench.IdleClusterBench \
  --root "$root" "$@"
