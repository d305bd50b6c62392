package io.eventplane.functions;

import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSets;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.runtime.InvocationMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Lambda lane's functions in CloudWatch's {@code AWS/Lambda} namespace, as AWS publishes them for
 * each minute a function is used: dimension {@code FunctionName}; for what names a qualifier also
 * {@code FunctionName} + {@code Resource} naming what was invoked: {@code name:alias} for an alias
 * (and then also {@code FunctionName} + {@code Resource} + {@code ExecutedVersion}, the version the
 * alias routed to), {@code name:version} for a published version (an unqualified call has no
 * Resource); Invocations, Errors, Throttles and Duration also without dimensions, for the account
 * as a whole. One value
 * per event: Invocations (1 per invocation that ran, errors included; throttles not), Errors (0 or 1
 * per invocation, so its Average is the error rate), Throttles (1 per invocation refused for want of
 * concurrency), Duration (milliseconds from the runtime's taking the event to its answer; the values
 * are kept, so percentiles are answered), ConcurrentExecutions (per minute, the most executions at
 * once), AsyncEventsReceived (an asynchronous event queued), AsyncEventAge (milliseconds from queueing
 * to each attempt), AsyncEventsDropped (an event Lambda gave up on, whether or not a dead-letter
 * target or destination then got it), DeadLetterErrors and DestinationDeliveryFailures.
 * Every invocation source counts: synchronous, asynchronous attempts and event source mappings.
 * Lane-confined: recorded and sampled on the lane's context.
 */
final class FunctionCloudWatch implements InvocationMetrics, AwsMetricSource {
  static final String NAMESPACE = "AWS/Lambda";

  private static final Map<String, String> UNITS = Map.of(
      "Invocations", "Count", "Errors", "Count", "Throttles", "Count", "Duration", "Milliseconds",
      "ConcurrentExecutions", "Count", "AsyncEventsReceived", "Count", "AsyncEventAge", "Milliseconds",
      "AsyncEventsDropped", "Count", "DeadLetterErrors", "Count", "DestinationDeliveryFailures", "Count");

  /**
   * A function as its metrics name it: the version that ran ({@code $LATEST} or a number) and the
   * alias invoked, or null.
   */
  private record FunctionKey(String account, String region, String name, String version, String alias) {}

  /** Durations keep their values, for percentiles. */
  private final AwsMetricSets<FunctionKey> sets = new AwsMetricSets<>(NAMESPACE, UNITS, Set.of("Duration"));
  /** What AWS also publishes for the account as a whole, without dimensions. */
  private static final Set<String> ACCOUNT_WIDE = Set.of("Invocations", "Errors", "Throttles", "Duration");
  /** Executions now, and the most this minute, by function (all versions): lane-confined. */
  private final Map<FunctionKey, int[]> concurrency = new HashMap<>();

  private static FunctionKey key(Function f) {
    return new FunctionKey(f.accountId(), f.region(), f.name(), f.version(), null);
  }

  /** {@code qualifier}: what the caller named (a version number, an alias, {@code $LATEST}) or null. */
  private static FunctionKey key(Function f, String qualifier) {
    boolean alias = qualifier != null && !Function.LATEST.equals(qualifier) && !qualifier.chars().allMatch(Character::isDigit);
    return new FunctionKey(f.accountId(), f.region(), f.name(), f.version(), alias ? qualifier : null);
  }

  private static FunctionKey unversioned(Function f) {
    return new FunctionKey(f.accountId(), f.region(), f.name(), Function.LATEST, null);
  }

  @Override
  public void started(Function f) {
    int[] c = concurrency.computeIfAbsent(unversioned(f), k -> new int[2]);
    c[0]++;
    c[1] = Math.max(c[1], c[0]);
  }

  private void ended(Function f) {
    int[] c = concurrency.get(unversioned(f));
    if (c != null && c[0] > 0) c[0]--;
  }

  @Override
  public void coldStart(Function f) {}

  @Override
  public void finished(Function f, String qualifier, boolean error, long durationNanos) {
    ended(f);
    FunctionKey k = key(f, qualifier);
    sets.of(k, "Invocations").add(1);
    sets.of(k, "Errors").add(error ? 1 : 0);
    if (durationNanos >= 0) sets.of(k, "Duration").add(durationNanos / 1_000_000.0);
  }

  @Override
  public void throttled(Function f, String qualifier) {
    ended(f);
    sets.of(key(f, qualifier), "Throttles").add(1);
  }

  @Override
  public void rejected(Function f) {
    ended(f);
  }

  @Override
  public void asyncReceived(Function f) {
    sets.of(key(f), "AsyncEventsReceived").add(1);
  }

  @Override
  public void asyncAttempt(Function f, long ageMillis) {
    sets.of(key(f), "AsyncEventAge").add(ageMillis);
  }

  @Override
  public void asyncDropped(Function f) {
    sets.of(key(f), "AsyncEventsDropped").add(1);
  }

  @Override
  public void deadLetterError(Function f) {
    sets.of(key(f), "DeadLetterErrors").add(1);
  }

  @Override
  public void destinationDeliveryFailure(Function f) {
    sets.of(key(f), "DestinationDeliveryFailures").add(1);
  }

  /**
   * The dimension sets data go under: the function's, the account's (no dimensions) for the
   * metrics AWS aggregates so, and what was invoked: an alias (with and without the version it ran)
   * or a published version. An unqualified call ran $LATEST and names nothing more.
   */
  private static List<AwsMetricSets.Where> where(FunctionKey k) {
    AwsMetricSets.Where function = new AwsMetricSets.Where(k.account(), k.region(), Map.of("FunctionName", k.name()));
    AwsMetricSets.Where account = new AwsMetricSets.Where(k.account(), k.region(), Map.of(), ACCOUNT_WIDE);
    if (k.alias() != null) {
      String resource = k.name() + ":" + k.alias();
      return List.of(function, account,
          new AwsMetricSets.Where(k.account(), k.region(), Map.of("FunctionName", k.name(), "Resource", resource)),
          new AwsMetricSets.Where(k.account(), k.region(),
              Map.of("FunctionName", k.name(), "Resource", resource, "ExecutedVersion", k.version())));
    }
    if (Function.LATEST.equals(k.version())) return List.of(function, account);
    return List.of(function, account, new AwsMetricSets.Where(k.account(), k.region(),
        Map.of("FunctionName", k.name(), "Resource", k.name() + ":" + k.version())));
  }

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    List<AwsMetricDatum> out = new ArrayList<>(sets.drain(FunctionCloudWatch::where));
    for (var it = concurrency.entrySet().iterator(); it.hasNext();) {
      var e = it.next();
      FunctionKey k = e.getKey();
      int[] c = e.getValue();
      if (c[1] > 0) {
        out.add(AwsMetricDatum.gauge(k.account(), k.region(), NAMESPACE, "ConcurrentExecutions",
            Map.of("FunctionName", k.name()), "Count", c[1]));
      }
      c[1] = c[0];
      if (c[0] == 0) it.remove();
    }
    return out;
  }
}
