package io.eventplane.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Per-operation latency histograms in microseconds, shared by all client loops of one scenario.
 * Only two event-loop threads record, so a synchronized histogram costs next to nothing.
 */
final class Latencies {

  /** Latency summary of one operation, in milliseconds. */
  record OpStats(long count, double p50Ms, double p99Ms, double maxMs) {}

  private static final long HIGHEST_MICROS = 120_000_000L;

  private final Map<String, Histogram> byOp = new ConcurrentHashMap<>();

  void record(String op, long nanos) {
    long micros = Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000));
    byOp.computeIfAbsent(op, k -> new SynchronizedHistogram(HIGHEST_MICROS, 3)).recordValue(micros);
  }

  /** Stats for every operation seen, in name order. */
  Map<String, OpStats> summary() {
    Map<String, OpStats> out = new TreeMap<>();
    byOp.forEach((op, h) -> out.put(op, new OpStats(h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0)));
    return out;
  }
}
