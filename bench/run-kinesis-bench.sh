#!/usr/bin/env bash
# Kinesis Data Streams benchmark: Eventplane (one node, fsync), kinesalite 3.3.3 and kinesis-mock (npm kinesis-local
# 0.6.2) side by side on loopback, all driven by the AWS SDK v2 KinesisClient (CBOR where the SDK can read the target's
# CBOR answers, else JSON; the report says which): PutRecords records/s and MB/s on a 4-shard stream with 1 KiB records,
# PutRecord -> GetRecords visibility p50/p99 at 1,000 records/s. See KinesisBench's class comment and docs/benchmarks.md.
# Usage, from anywhere:  bench/run-kinesis-bench.sh [--rounds 3] [--targets eventplane,kinesalite,kinesis-mock]
#   [--cases put-records,visibility] [--shards 4] [--record-size 1024] [--batch 500] [--producers 8] [--warmup 3]
#   [--measure 10] [--max-window 120] [--rate 1000] [--senders 32] [--latency-warmup 2] [--latency-seconds 10]
#   [--empty-poll-wait-ms 5] [--get-limit 10000] [--drain-timeout 30] [--protocol auto|cbor|json]
#   [--eventplane-args "..."] [--server-jvm-opts "..."] [--node node]
# The peers are installed with npm (once) into ${EVENTPLANE_BENCH_CACHE:-~/.cache/eventplane-bench}/kinesis-peers, not
# into the repo; they need node and npm on PATH. Builds the bench jar; builds server/target/eventplane.jar only if it is
# missing (set EVENTPLANE_REBUILD=1 to rebuild it anyway). The bench starts and stops every server itself, also when a
# run fails or is interrupted. The report goes to stdout and, with the servers' logs, to
# bench/target/bench-results/kinesis-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

peers="${EVENTPLANE_BENCH_CACHE:-${HOME}/.cache/eventplane-bench}/kinesis-peers"
install_peer() {  # directory package version
  local dir="$peers/$1"
  if [[ ! -f "$dir/node_modules/$2/package.json" ]] || ! grep -q "\"version\" *: *\"$3\"" "$dir/node_modules/$2/package.json"; then
    echo "installing $2@$3 into $dir" >&2
    mkdir -p "$dir"
    # --ignore-scripts: kinesalite's optional leveldown would build a native module; in memory it is never loaded.
    npm install --prefix "$dir" --no-audit --no-fund --no-save --ignore-scripts "$2@$3" >&2
  fi
}
install_peer kinesalite-3.3.3 kinesalite 3.3.3
install_peer kinesis-local-0.6.2 kinesis-local 0.6.2

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.KinesisBench --root "$root" \
  --peers "$peers" "$@"
