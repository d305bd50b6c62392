#!/usr/bin/env bash
# Start-up and idle memory of the packaged server, with and without its AppCDS archive, on an empty
# and on a populated data dir (docs/benchmarks.md, "Start-up and idle memory").
# Usage, from anywhere:  bench/run-startup-bench.sh [--runs 5] [--idle-seconds 10] [--queues 1000]
#   [--messages-per-queue 5] [--objects 1000] [--variant "label|jar|JVM options"]...
# Builds server/target/eventplane.jar and its archive eventplane.jsa only if the jar is missing
# (EVENTPLANE_REBUILD=1 rebuilds them); the archive is only valid for that jar at that path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
jar="$root/server/target/eventplane.jar"
exec java -cp bench/target/eventplane-bench.jar io.eventplane.bench.StartupBench --root "$root" \
  --variant "plain|$jar|" --variant "cds|$jar|-XX:SharedArchiveFile=$root/server/target/eventplane.jsa" "$@"
