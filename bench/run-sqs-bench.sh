#!/usr/bin/env bash
# SQS benchmark: Eventplane (fsync, none) vs ElasticMQ 1.7.1 vs a bare Vert.x endpoint, on loopback.
# Usage, from anywhere:  bench/run-sqs-bench.sh [options]    (see docs/benchmarks.md)
#   --runs 3 --clients 16 --generator-warmup 4 --jit-warmup 3 --warmup 2 --measure 4 --rate N --jfr
#   --targets bare-http,elasticmq,eventplane-fsync,eventplane-none --server-jvm-opts "-Xmx1g"
#   --queues 8 (the multi-queue scenarios; 0 skips them); targets eventplane-fsync-t1,eventplane-fsync-t2
#   differ only in --service-threads 1 / 2
# Builds the bench jar and fetches ElasticMQ's jars; builds server/target/eventplane.jar only if
# it is missing (set EVENTPLANE_REBUILD=1 to rebuild it anyway).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
if [[ ! -f bench/target/elasticmq-lib/elasticmq-server_2.13-1.7.1.jar ]]; then
  mvn -B -q -f bench/elasticmq/pom.xml package
fi
# A large young generation keeps the load generator's own GC pauses rare (they would show up in
# every target's tail latency); the servers get JVM defaults unless --server-jvm-opts says otherwise.
exec java -Xms2g -Xmx2g -Xmn1536m -jar bench/target/eventplane-bench.jar --root "$root" "$@"
