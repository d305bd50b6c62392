#!/usr/bin/env bash
# Lambda benchmark: cold start, warm invoke latency, invocations/s with 1 and 8 callers, SQS -> function, on one
# node (fsync). See LambdaBench's class comment.
# Usage, from anywhere:  bench/run-lambda-bench.sh [--cold 10] [--jit-warmup 20] [--measure 15] [--messages 10000]
# Builds the bench jar; builds server/target/eventplane.jar and the examples jar only if missing
# (set EVENTPLANE_REBUILD=1 to rebuild them anyway). The report goes to stdout and to
# bench/target/bench-results/lambda-<timestamp>/report.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || ! -f examples/target/eventplane-examples.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar and examples/target/eventplane-examples.jar" >&2
  mvn -B -q package -DskipTests -pl server,examples -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common, not an installed one
exec java -Xms512m -Xmx512m -cp bench/target/eventplane-bench.jar io.eventplane.bench.LambdaBench --root "$root" "$@"
