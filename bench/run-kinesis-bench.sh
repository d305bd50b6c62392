#!/usr/bin/env bash
# Kinesis Data Streams and Firehose benchmark, on loopback, every server started and stopped by the bench:
# - put-records, visibility: Eventplane (one node, fsync), kinesalite 3.3.3 and kinesis-mock (npm kinesis-local 0.6.2)
#   side by side, all driven by the AWS SDK v2 KinesisClient (CBOR where the SDK can read the target's CBOR answers,
#   else JSON; the report says which): PutRecords records/s and MB/s on a 4-shard stream with 1 KiB records,
#   PutRecord -> GetRecords visibility p50/p99 at 1,000 records/s.
# - stream-function: Eventplane only (the peers have no Lambda; moto's needs Docker): a 4-shard stream, an event source
#   mapping (BatchSize 100, no batching window) into the examples jar's DeliveryLog function, a burst of 50,000 records:
#   delivered records/s (first put to last record processed) and put -> invoke latency p50/p99.
# - firehose: Eventplane and moto 5.2.1 (machine's python3; its Firehose writes each put to S3 at once, unbuffered):
#   PutRecordBatch of 500 x 1 KiB records from 8 producers (records/s, MB/s accepted) into a DirectPut stream to S3;
#   flush-to-object latency with IntervalInSeconds 0 and, once per target, after an IntervalInSeconds of 60.
# See KinesisBench's, StreamFunctionCase's and FirehoseCase's class comments and docs/benchmarks.md.
# Usage, from anywhere:  bench/run-kinesis-bench.sh [--rounds 3] [--targets eventplane,kinesalite,kinesis-mock,moto]
#   [--cases put-records,visibility,stream-function,firehose] [--shards 4] [--record-size 1024] [--batch 500]
#   [--producers 8] [--warmup 3] [--measure 10] [--max-window 120] [--rate 1000] [--senders 32] [--latency-warmup 2]
#   [--latency-seconds 10] [--empty-poll-wait-ms 5] [--get-limit 10000] [--drain-timeout 30] [--protocol auto|cbor|json]
#   [--function-records 50000] [--function-warmup 5000] [--function-batch-size 100] [--function-timeout 120]
#   [--flush-interval 60] [--flush-samples 5] [--flush-batch 10] [--poll-ms 5]
#   [--eventplane-args "..."] [--server-jvm-opts "..."] [--node node] [--python python3]
# A short check of the new cases: --rounds 1 --targets eventplane,moto --cases stream-function,firehose --warmup 1
#   --measure 3 --function-records 5000 --function-warmup 500 --flush-interval 5 --flush-samples 2
# The Node peers are installed with npm (once, when --targets names them or is not given) into
# ${EVENTPLANE_BENCH_CACHE:-~/.cache/eventplane-bench}/kinesis-peers, not into the repo; they need node and npm on PATH;
# moto needs python3 with moto[server] 5.2.1. Builds the bench jar and examples/target/eventplane-examples.jar (the
# function's code); builds server/target/eventplane.jar only if it is missing (set EVENTPLANE_REBUILD=1 to rebuild it
# anyway). The bench starts and stops every server itself, also when a run fails or is interrupted. The report goes to
# stdout and, with the servers' logs, to bench/target/bench-results/kinesis-<timestamp>/.
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
targets="eventplane,kinesalite,kinesis-mock,moto"
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == "--targets" ]]; then targets="${args[i+1]}"; fi
done
if [[ ",$targets," == *",kinesalite,"* ]]; then install_peer kinesalite-3.3.3 kinesalite 3.3.3; fi
if [[ ",$targets," == *",kinesis-mock,"* ]]; then install_peer kinesis-local-0.6.2 kinesis-local 0.6.2; fi

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
# -am: the bench compiles against this checkout's common, not an installed one; examples: the stream-function case's code
mvn -B -q package -DskipTests -pl bench,examples -am
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.KinesisBench --root "$root" \
  --peers "$peers" "$@"
