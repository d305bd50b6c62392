#!/usr/bin/env python3
"""Where a run's tail went, from the server's JFR recording (bench/run-sqs-bench.sh --jfr).

Usage: bench/jfr-tail.py SERVER.jfr [SKIP_SECONDS] [FRAME,FRAME...]
  SKIP_SECONDS: skip the start-up and warm-up (default 30); negative, -N: only the last N seconds
  of the recording (with --queues 0 the fixed-rate window is the run's last scenario); FRAMEs (say MessageCodec.encode): also
  the allocation per commit of samples with that frame in their top 12 (each sample counted once,
  for the first FRAME it matches).

Prints, for the recording after SKIP_SECONDS: store commits (io.eventplane.store.GroupCommit),
fsync and queue-wait distributions of the group commits, GC pauses, safepoint time, and the
allocation (jdk.ObjectAllocationSample weights, an estimate) per commit, overall and by the first
Eventplane frame. Needs the JDK's `jfr` tool on the PATH.
"""
import collections
import datetime
import json
import subprocess
import sys


def events(path, name, depth):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", name, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def start(e):
    return datetime.datetime.fromisoformat(e["values"]["startTime"][:26].replace("Z", ""))


def millis(iso):
    """JFR's ISO-8601 durations (PT0.001234S, PT1M2.5S) in ms."""
    d, total = iso.replace("PT", ""), 0.0
    if "H" in d:
        h, d = d.split("H")
        total += 3600 * float(h)
    if "M" in d:
        m, d = d.split("M")
        total += 60 * float(m)
    if d.endswith("S"):
        total += float(d[:-1] or 0)
    return total * 1000


def q(values, p):
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def main():
    path, skip = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    wanted = sys.argv[3].split(",") if len(sys.argv) > 3 else []
    alloc = events(path, "jdk.ObjectAllocationSample", 12)
    commits = events(path, "io.eventplane.store.GroupCommit", 1)
    pauses = events(path, "jdk.GCPhasePause", 1)
    safepoints = events(path, "jdk.SafepointBegin", 1)
    t0 = min(start(e) for e in alloc + commits)
    t1 = max(start(e) for e in alloc + commits)
    if skip >= 0:
        inside = lambda e: (start(e) - t0).total_seconds() >= skip
    else:
        inside = lambda e: (t1 - start(e)).total_seconds() <= -skip
    groups = [e["values"] for e in commits if inside(e)]
    n = sum(g["groupSize"] for g in groups)
    sync = sorted(millis(g["sync"]) for g in groups)
    wait = sorted(millis(g["queueWait"]) for g in groups)
    gc = sorted(millis(e["values"]["duration"]) for e in pauses if inside(e))
    sp = sorted(millis(e["values"]["duration"]) for e in safepoints if inside(e))
    span = (t1 - t0).total_seconds() - skip if skip >= 0 else -skip
    print(f"window {span:.0f} s: {n} commits in {len(groups)} groups (median group {q(sorted(g['groupSize'] for g in groups), .5)})")
    print(f"fsync ms: p50 {q(sync, .5):.2f} p99 {q(sync, .99):.2f} max {sync[-1] if sync else 0:.1f}; "
          f">= 5 ms: {sum(x >= 5 for x in sync)}, >= 20 ms: {sum(x >= 20 for x in sync)}")
    print(f"queue wait before the writer took a group (its longest) ms: p50 {q(wait, .5):.2f} p99 {q(wait, .99):.2f} "
          f"max {wait[-1] if wait else 0:.1f}")
    print(f"GC pauses: {len(gc)}, {sum(gc):.0f} ms in all, p50 {q(gc, .5):.1f} max {gc[-1] if gc else 0:.1f}")
    print(f"safepoints: {len(sp)}, {sum(sp):.0f} ms in all, max {sp[-1] if sp else 0:.1f}")
    total, ours, matched = 0, collections.Counter(), collections.Counter()
    for e in alloc:
        if not inside(e):
            continue
        v = e["values"]
        total += v["weight"]
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in (v["stackTrace"]["frames"] if v.get("stackTrace") else [])]
        first = next((f for f in frames if f.startswith("io.eventplane")), "(no Eventplane frame in the top 12)")
        ours[first] += v["weight"]
        hit = next((w for w in wanted if any(f.endswith(w) for f in frames)), None)
        if hit:
            matched[hit] += v["weight"]
    print(f"allocation (sampled estimate): {total / 1e6 / max(span, 1):.1f} MB/s, {total / max(n, 1) / 1024:.1f} KiB per commit")
    for frame, w in ours.most_common(15):
        print(f"  {w / max(n, 1):8.0f} B/commit  {frame}")
    for w in wanted:
        print(f"  {matched[w] / max(n, 1):8.0f} B/commit  with {w} in the stack")


if __name__ == "__main__":
    main()
