package io.eventplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Renders all runs as Markdown: the targets as same-run ratios first (median over runs,
 * every run's value beside it), then medians per target, then every run's raw numbers.
 */
final class Report {

  private Report() {}

  static String render(SqsBench.Options o, List<SqsBench.TargetRun> runs, String args) {
    StringBuilder md = new StringBuilder();
    md.append("# SQS benchmark\n\n");
    md.append("Command: `bench/run-sqs-bench.sh ").append(args).append("`\n\n");
    md.append("Machine: ").append(machine()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Setup: %d run(s); per scenario %d s warm-up + %d s "
            + "measured; %d closed-loop clients, one request outstanding each; message body %d "
            + "bytes; load generator on %d Vert.x event loop(s) in the bench JVM; server JVM "
            + "options: %s.%n%n", o.runs(), o.warmup().toSeconds(), o.measure().toSeconds(),
        o.clients(), SqsBench.MESSAGE_BODY.length(), o.loops(),
        o.serverJvmOptions().isEmpty() ? "JVM defaults" : String.join(" ", o.serverJvmOptions())));

    goals(md, runs);
    throughput(md, runs);
    latency(md, runs);
    fixedRate(md, runs);
    cpu(md, runs);
    multiQueue(md, o, runs);
    startup(md, runs);
    notes(md, runs);
    raw(md, runs);
    return md.toString();
  }

  private static void goals(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Targets (Eventplane fsync, same-run ratios)\n\n");
    goalTable(md, runs, Target.EVENTPLANE_FSYNC);
    md.append("Same checks for Eventplane `none` (for reference; the targets are for fsync):\n\n");
    goalTable(md, runs, Target.EVENTPLANE_NONE);
  }

  private static void goalTable(StringBuilder md, List<SqsBench.TargetRun> runs, Target ep) {
    md.append("| check | median | per run | goal | met |\n|---|---|---|---|---|\n");
    for (String scenario : List.of(SqsBench.UNBATCHED, SqsBench.BATCHED)) {
      ToDoubleFunction<SqsBench.TargetRun> mps = r -> r.scenarios().get(scenario).messagesPerSecond();
      goal(md, "msg/s vs ElasticMQ, " + scenario,
          ratios(runs, ep, Target.ELASTICMQ, mps), "x", ">= 3x", v -> v >= 3);
      goal(md, "msg/s vs bare HTTP ceiling, " + scenario,
          ratios(runs, ep, Target.BARE, mps).stream().map(v -> v * 100).toList(),
          "%", ">= 40%", v -> v >= 40);
    }
    goal(md, "p99 SendMessage at half its peak send rate (open loop)",
        values(runs, ep, r -> opStat(r, SqsBench.FIXED_RATE, "SendMessage").p99Ms()),
        " ms", "< 10 ms", v -> v < 10);
    goal(md, "start-up to first served request",
        values(runs, ep, r -> r.startupMs()), " ms", "< 2000 ms", v -> v < 2000);
    md.append('\n');
  }

  private static void goal(StringBuilder md, String check, List<Double> perRun, String unit,
                           String goal, java.util.function.DoublePredicate met) {
    if (perRun.isEmpty()) {
      md.append("| ").append(check).append(" | n/a | | ").append(goal).append(" | not measured |\n");
      return;
    }
    double median = median(perRun);
    md.append("| ").append(check).append(" | **").append(fmt(median)).append(unit).append("** | ")
        .append(perRun.stream().map(v -> fmt(v) + unit).collect(Collectors.joining(", ")))
        .append(" | ").append(goal).append(" | ").append(met.test(median) ? "yes" : "**no**")
        .append(" |\n");
  }

  private static void throughput(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Throughput, messages/s (median of runs)\n\n");
    md.append("Closed loop. A message counts once its delete succeeded (send-only: once sent).\n\n");
    md.append("| target | unbatched send/receive/delete | batched (10) | send-only |\n|---|---|---|---|\n");
    for (Target t : targets(runs)) {
      md.append("| ").append(t.id);
      for (String s : List.of(SqsBench.UNBATCHED, SqsBench.BATCHED, SqsBench.SEND_ONLY)) {
        md.append(" | ").append(fmt(median(values(runs, t, r -> r.scenarios().get(s).messagesPerSecond()))));
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  private static void latency(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Latency per call under closed-loop load, ms (median of runs' p50 / p99)\n\n");
    md.append("| target | scenario | call | p50 | p99 |\n|---|---|---|---|---|\n");
    for (Target t : targets(runs)) {
      for (String s : List.of(SqsBench.UNBATCHED, SqsBench.BATCHED, SqsBench.SEND_ONLY)) {
        for (String op : ops(runs, t, s)) {
          md.append("| ").append(t.id).append(" | ").append(s).append(" | ").append(op)
              .append(" | ").append(fmt(median(values(runs, t, r -> opStat(r, s, op).p50Ms()))))
              .append(" | ").append(fmt(median(values(runs, t, r -> opStat(r, s, op).p99Ms()))))
              .append(" |\n");
        }
      }
    }
    md.append('\n');
  }

  private static void fixedRate(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## SendMessage at a fixed rate (open loop), ms (median of runs)\n\n");
    md.append("Rate: half of that target's own send-only peak in the same run, unless `--rate` "
        + "was given; " + SqsBench.OPEN_LOOP_CONNECTIONS + " connections, each paced at its share of "
        + "the rate (wrk2 style), started by a 1 ms ticker. Latency from the actual send; "
        + "the last column is from the intended send time, which adds the generator's own lag "
        + "(up to 1 ms of tick, plus any stall of the bench JVM).\n\n");
    md.append("| target | offered msg/s | achieved msg/s | p50 | p99 | max | p99 from intended time |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    String f = SqsBench.FIXED_RATE;
    for (Target t : targets(runs)) {
      md.append("| ").append(t.id)
          .append(" | ").append(fmt(median(values(runs, t, r -> r.scenarios().get(f).offeredRate()))))
          .append(" | ").append(fmt(median(values(runs, t, r -> r.scenarios().get(f).messagesPerSecond()))))
          .append(" | ").append(fmt(median(values(runs, t, r -> opStat(r, f, "SendMessage").p50Ms()))))
          .append(" | ").append(fmt(median(values(runs, t, r -> opStat(r, f, "SendMessage").p99Ms()))))
          .append(" | ").append(fmt(median(values(runs, t, r -> opStat(r, f, "SendMessage").maxMs()))))
          .append(" | ").append(fmt(median(values(runs, t,
              r -> opStat(r, f, LoadScenarios.FROM_INTENDED).p99Ms()))))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void cpu(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Where the two cores went during each window (median of runs, in cores)\n\n");
    md.append("From /proc: the server process, the bench JVM (load generator), and the rest "
        + "(other processes plus kernel time not charged to a process, e.g. loopback softirqs). "
        + "A server that leaves cores idle under closed-loop load is latency-bound, not CPU-bound."
        + "\n\n| target | scenario | server | load generator | other | idle |\n|---|---|---|---|---|---|\n");
    int cores = Runtime.getRuntime().availableProcessors();
    for (Target t : targets(runs)) {
      for (String s : List.of(SqsBench.UNBATCHED, SqsBench.BATCHED, SqsBench.SEND_ONLY, SqsBench.FIXED_RATE)) {
        double server = median(values(runs, t, r -> r.scenarios().get(s).cpu().serverCores()));
        double bench = median(values(runs, t, r -> r.scenarios().get(s).cpu().benchCores()));
        double other = median(values(runs, t, r -> r.scenarios().get(s).cpu().otherCores()));
        md.append("| ").append(t.id).append(" | ").append(s)
            .append(" | ").append(fmt(server)).append(" | ").append(fmt(bench))
            .append(" | ").append(fmt(other))
            .append(" | ").append(fmt(Math.max(0, cores - server - bench - other))).append(" |\n");
      }
    }
    md.append('\n');
  }

  /**
   * The multi-queue scenarios: msg/s and the server's CPU per thread group for every target, the
   * lane counts' same-run ratio, and the busiest threads of each Eventplane target.
   */
  private static void multiQueue(StringBuilder md, SqsBench.Options o, List<SqsBench.TargetRun> runs) {
    List<SqsBench.TargetRun> measured = runs.stream()
        .filter(r -> r.scenarios().containsKey(SqsBench.MULTI_SEND)).toList();
    if (measured.isEmpty()) {
      return;
    }
    md.append("## ").append(o.queues()).append(" queues (median of runs)\n\n");
    md.append("Closed loop, ").append(o.clients()).append(" clients, client i on queue i mod ")
        .append(o.queues()).append("; queue i is in a partition p with p mod ").append(o.queues())
        .append(" = i, so on 2 lanes the queues split 4 + 4. `multi-send`: SendMessage; "
            + "`multi-send-batch`: SendMessageBatch of 10; `multi-unbatched`: send -> receive -> delete. "
            + "Server CPU per thread group from /proc/<pid>/task/*/stat (utime + stime) over the "
            + "measured window, in cores; \"SQS lane loops\" are the event loops that host a lane "
            + "(with whatever else Vert.x placed on them), as each lane logs at start.\n\n");
    md.append("| target | scenario | msg/s | server cores");
    ThreadCpu.GROUPS.forEach(g -> md.append(" | ").append(g));
    md.append(" |\n|---|---|---|---");
    ThreadCpu.GROUPS.forEach(g -> md.append("|---"));
    md.append("|\n");
    for (Target t : targets(measured)) {
      for (String s : SqsBench.MULTI) {
        md.append("| ").append(t.id).append(" | ").append(s)
            .append(" | ").append(fmt(median(values(measured, t, r -> r.scenarios().get(s).messagesPerSecond()))))
            .append(" | ").append(fmt(median(values(measured, t, r -> r.scenarios().get(s).cpu().serverCores()))));
        for (String g : ThreadCpu.GROUPS) {
          md.append(" | ").append(fmt(median(values(measured, t, r -> r.scenarios().get(s).threads().group(g)))));
        }
        md.append(" |\n");
      }
    }
    md.append('\n');
    if (measured.stream().anyMatch(r -> r.target() == Target.EVENTPLANE_FSYNC_T1)
        && measured.stream().anyMatch(r -> r.target() == Target.EVENTPLANE_FSYNC_T2)) {
      md.append("| check | median | per run |\n|---|---|---|\n");
      for (String s : SqsBench.MULTI) {
        List<Double> perRun = ratios(measured, Target.EVENTPLANE_FSYNC_T2, Target.EVENTPLANE_FSYNC_T1,
            r -> r.scenarios().get(s).messagesPerSecond());
        md.append("| msg/s 2 service threads / 1, ").append(s).append(" | **").append(fmt(median(perRun)))
            .append("x** | ").append(perRun.stream().map(v -> fmt(v) + "x").collect(Collectors.joining(", ")))
            .append(" |\n");
      }
      md.append('\n');
    }
    md.append("Busiest server threads in `").append(SqsBench.MULTI_SEND)
        .append("`, last run, cores (full Java names from a thread dump):\n\n");
    md.append("| target | threads |\n|---|---|\n");
    for (Target t : targets(measured)) {
      SqsBench.TargetRun last = measured.stream().filter(r -> r.target() == t)
          .reduce((a, b) -> b).orElseThrow();
      md.append("| ").append(t.id).append(" | ").append(last.scenarios().get(SqsBench.MULTI_SEND)
          .threads().threads().entrySet().stream().limit(8)
          .map(e -> e.getKey() + " " + fmt(e.getValue())).collect(Collectors.joining("; ")))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void startup(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Start-up and memory (median of runs)\n\n");
    md.append("Start-up: from process start to the first 200 (ListQueues; Eventplane's health "
        + "endpoint in its own column). RSS: VmRSS of the server process.\n\n");
    md.append("| target | first served request ms | health 200 ms | idle RSS MiB | RSS after load MiB |\n");
    md.append("|---|---|---|---|---|\n");
    for (Target t : targets(runs)) {
      md.append("| ").append(t.id)
          .append(" | ").append(fmt(median(values(runs, t, r -> r.startupMs()))))
          .append(" | ").append(t.isEventplane() ? fmt(median(values(runs, t, r -> r.healthMs()))) : "-")
          .append(" | ").append(fmt(median(values(runs, t, r -> r.idleRssKib() / 1024.0))))
          .append(" | ").append(fmt(median(values(runs, t, r -> r.loadedRssKib() / 1024.0))))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static void notes(StringBuilder md, List<SqsBench.TargetRun> runs) {
    List<String> lines = new ArrayList<>();
    for (SqsBench.TargetRun r : runs) {
      r.notes().forEach(n -> lines.add("run " + r.run() + ", " + r.target().id + ": " + n));
      r.scenarios().values().forEach(s -> {
        if (s.errors() > 0) {
          lines.add("run " + r.run() + ", " + r.target().id + ", " + s.scenario() + ": "
              + s.errors() + " failed calls, first: " + s.firstError());
        }
        if (s.emptyReceives() > 0) {
          lines.add("run " + r.run() + ", " + r.target().id + ", " + s.scenario() + ": "
              + s.emptyReceives() + " empty receives");
        }
      });
    }
    md.append("## Errors and protocol notes\n\n");
    md.append(lines.isEmpty() ? "None.\n" : lines.stream().map(l -> "- " + l)
        .collect(Collectors.joining("\n")) + "\n");
    md.append('\n');
  }

  private static void raw(StringBuilder md, List<SqsBench.TargetRun> runs) {
    md.append("## Every run\n\n");
    md.append("| run | target | unbatched msg/s | batched msg/s | send-only msg/s | fixed-rate msg/s "
        + "| fixed-rate p99 ms | start-up ms | idle RSS MiB | other cores (unbatched) |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (SqsBench.TargetRun r : runs) {
      Map<String, LoadScenarios.Result> s = r.scenarios();
      md.append("| ").append(r.run()).append(" | ").append(r.target().id)
          .append(" | ").append(fmt(s.get(SqsBench.UNBATCHED).messagesPerSecond()))
          .append(" | ").append(fmt(s.get(SqsBench.BATCHED).messagesPerSecond()))
          .append(" | ").append(fmt(s.get(SqsBench.SEND_ONLY).messagesPerSecond()))
          .append(" | ").append(fmt(s.get(SqsBench.FIXED_RATE).offeredRate()))
          .append(" | ").append(fmt(opStat(r, SqsBench.FIXED_RATE, "SendMessage").p99Ms()))
          .append(" | ").append(r.startupMs())
          .append(" | ").append(fmt(r.idleRssKib() / 1024.0))
          .append(" | ").append(fmt(s.get(SqsBench.UNBATCHED).cpu().otherCores()))
          .append(" |\n");
    }
  }

  private static Latencies.OpStats opStat(SqsBench.TargetRun r, String scenario, String op) {
    Latencies.OpStats s = r.scenarios().get(scenario).latencies().get(op);
    return s != null ? s : new Latencies.OpStats(0, Double.NaN, Double.NaN, Double.NaN);
  }

  private static Set<Target> targets(List<SqsBench.TargetRun> runs) {
    return runs.stream().map(SqsBench.TargetRun::target).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> ops(List<SqsBench.TargetRun> runs, Target t, String scenario) {
    Set<String> ops = new LinkedHashSet<>();
    runs.stream().filter(r -> r.target() == t)
        .forEach(r -> ops.addAll(r.scenarios().get(scenario).latencies().keySet()));
    return ops;
  }

  private static List<Double> values(List<SqsBench.TargetRun> runs, Target t,
                                     ToDoubleFunction<SqsBench.TargetRun> f) {
    return runs.stream().filter(r -> r.target() == t).map(f::applyAsDouble).toList();
  }

  /** a/b per run, for the runs that measured both. */
  private static List<Double> ratios(List<SqsBench.TargetRun> runs, Target a, Target b,
                                     ToDoubleFunction<SqsBench.TargetRun> f) {
    List<Double> out = new ArrayList<>();
    for (SqsBench.TargetRun ra : runs) {
      if (ra.target() != a) {
        continue;
      }
      runs.stream().filter(rb -> rb.target() == b && rb.run() == ra.run()).findFirst()
          .ifPresent(rb -> out.add(f.applyAsDouble(ra) / f.applyAsDouble(rb)));
    }
    return out;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(Objects::nonNull).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    return a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String machine() {
    String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    String mem = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal"))
        .map(l -> l.replaceAll("[^0-9]", "")).findFirst()
        .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb) / 1048576.0)).orElse("?");
    return String.format(Locale.ROOT, "%d CPUs (%s), %s RAM, Linux %s, Java %s (%s)",
        Runtime.getRuntime().availableProcessors(), cpu, mem, System.getProperty("os.version"),
        System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"));
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
