package io.eventplane.eventbridge.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * API destinations' InvocationRateLimitPerSecond, for the whole cluster: the lane that owns the
 * partition of a destination's account and region hands out start times, at most {@code limit} in
 * any one second of the service's clock, in the order deliveries ask; a delivery that finds the
 * current second full gets the start of the first second with room (its request waits; it is never
 * dropped). Deliveries run on any lane of any node, but all ask here (in the same call that reads
 * the destination), so the limit holds however many buses and rules target the destination.
 *
 * <p>In memory on the owner: after a failover the new owner starts counting afresh, so one second
 * may see up to twice the limit. A start time that is not used (the delivery was abandoned) still
 * counts.
 */
public final class InvocationSlots {
  /** Past this many destinations, those whose last second has passed are dropped. */
  private static final int SWEEP_AT = 256;

  private final Map<String, Second> seconds = new HashMap<>();

  /** The latest second with start times handed out, and how many. */
  private static final class Second {
    long second;
    int taken;
  }

  /** When a request to {@code destinationArn} may start (epoch millis, {@code >= now}). */
  public long reserve(String destinationArn, int limit, long now) {
    long current = Math.floorDiv(now, 1000L);
    if (seconds.size() >= SWEEP_AT && !seconds.containsKey(destinationArn)) sweep(current);
    Second s = seconds.computeIfAbsent(destinationArn, k -> new Second());
    if (s.second < current) {
      s.second = current;
      s.taken = 0;
    }
    if (s.taken >= limit) {
      s.second++;
      s.taken = 0;
    }
    s.taken++;
    return Math.max(now, s.second * 1000L);
  }

  /** Forgets a deleted destination. */
  public void forget(String destinationArn) {
    seconds.remove(destinationArn);
  }

  private void sweep(long currentSecond) {
    seconds.values().removeIf(s -> s.second < currentSecond);
  }
}
