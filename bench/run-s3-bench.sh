#!/usr/bin/env bash
# S3 benchmark: Eventplane (fsync) vs S3Proxy 4.1.0 (filesystem provider), on loopback.
# Usage, from anywhere:  bench/run-s3-bench.sh [--runs 3] [--seconds 10] [--clients 16] [--no-5gib]
# Builds the bench jar and fetches S3Proxy's jars; builds server/target/eventplane.jar only if
# it is missing (set EVENTPLANE_REBUILD=1 to rebuild it anyway).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
if [[ ! -f bench/target/s3proxy-lib/s3proxy-4.1.0.jar ]]; then
  mvn -B -q -f bench/s3proxy/pom.xml package
fi
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.S3Bench --root "$root" "$@"
