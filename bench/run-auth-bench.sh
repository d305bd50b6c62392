#!/usr/bin/env bash
# What authentication costs: SQS SendMessage with --auth off, sigv4 and iam in one run (issue 17).
# Usage, from anywhere:  bench/run-auth-bench.sh [--rounds 3] [--callers 1,16] [--warmup 2] [--measure 5]
#   [--jit-warmup 5] [--modes off,sigv4,iam] [--durability none|fsync] [--jfr iam,off]
#   (--jfr: the modes whose server records a JFR profile into the results directory)
# Builds the bench jar; builds server/target/eventplane.jar only if it is missing (EVENTPLANE_REBUILD=1
# rebuilds it anyway). The report goes to stdout and, with the servers' logs, to
# bench/target/bench-results/auth-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -f server/target/eventplane.jar || "${EVENTPLANE_REBUILD:-0}" == 1 ]]; then
  echo "building server/target/eventplane.jar" >&2
  mvn -B -q package -DskipTests -pl server -am
fi
mvn -B -q package -DskipTests -pl bench -am   # -am: the bench compiles against this checkout's common
exec java -Xms1g -Xmx1g -cp bench/target/eventplane-bench.jar io.eventplane.bench.AuthBench --root "$root" "$@"
