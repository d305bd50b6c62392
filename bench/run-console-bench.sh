#!/usr/bin/env bash
# The web console's pages with 10 queues and with 10,000 (issue 18: "fast on 10,000 queues (paged)").
# Usage, from anywhere:  bench/run-console-bench.sh [--queues 10000] [--requests 50] [--warmup 10] [--deep-page 100]
# Builds server/target/eventplane.jar only if it is missing (EVENTPLANE_REBUILD=1 rebuilds it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common
exec java -cp bench/target/eventplane-bench.jar io.eventplane.bench.ConsoleBench --root "$root" "$@"
