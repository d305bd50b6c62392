package io.eventplane.common.cloudwatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A lane's counts for one AWS namespace since the last sample: per resource (a topic, a rule, a
 * function...) and metric name, a {@link StatisticSet}. {@link #drain} turns them into the minute's
 * data and starts again; a metric that recorded nothing is not published (AWS leaves such minutes
 * empty for these metrics). Not thread-safe: used on the lane's context only.
 *
 * @param <K> how the lane names a resource (its key: an ARN, a record)
 */
public final class AwsMetricSets<K> {
  /**
   * Where a resource's data go: its account, region and the dimensions AWS gives its metrics.
   *
   * @param metrics the metrics published under these dimensions; null for all of them (an
   *     account-wide aggregate with no dimensions names the few AWS publishes so)
   */
  public record Where(String account, String region, Map<String, String> dimensions, Set<String> metrics) {
    public Where {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(region, "region");
      dimensions = Map.copyOf(dimensions);
      if (metrics != null) metrics = Set.copyOf(metrics);
    }

    /** Every metric under these dimensions. */
    public Where(String account, String region, Map<String, String> dimensions) {
      this(account, region, dimensions, null);
    }

    boolean covers(String metric) {
      return metrics == null || metrics.contains(metric);
    }
  }

  private final String namespace;
  private final Map<String, String> units;
  private final Set<String> keepingValues;
  private final Map<K, Map<String, StatisticSet>> byResource = new HashMap<>();

  /** @param units every metric's CloudWatch unit, by metric name */
  public AwsMetricSets(String namespace, Map<String, String> units) {
    this(namespace, units, Set.of());
  }

  /** @param keepingValues the metrics whose values are kept, for percentiles (Lambda's Duration) */
  public AwsMetricSets(String namespace, Map<String, String> units, Set<String> keepingValues) {
    this.namespace = namespace;
    this.units = Map.copyOf(units);
    this.keepingValues = Set.copyOf(keepingValues);
  }

  /** The set of {@code metric} for {@code resource} this minute (the metric must be one of the units' names). */
  public StatisticSet of(K resource, String metric) {
    if (!units.containsKey(metric)) throw new IllegalArgumentException("no unit for " + namespace + " " + metric);
    return byResource.computeIfAbsent(resource, r -> new HashMap<>())
        .computeIfAbsent(metric, m -> new StatisticSet(keepingValues.contains(m)));
  }

  /** One metric under one set of dimensions: what the resources sharing it are merged into. */
  private record Identity(String account, String region, String metric, Map<String, String> dimensions) {}

  /**
   * The minute's data, and the counts start again. Resources whose data go under the same dimensions
   * (two versions of a function under its FunctionName, every function under the account's aggregate)
   * are merged into one datum.
   *
   * @param where a resource's account, region and dimensions; may answer several (a Lambda function's
   *     data go under FunctionName and under FunctionName + Resource), or none to leave it out
   */
  public List<AwsMetricDatum> drain(Function<K, List<Where>> where) {
    Map<Identity, StatisticSet> merged = new LinkedHashMap<>();
    for (Map.Entry<K, Map<String, StatisticSet>> e : byResource.entrySet()) {
      for (Where w : where.apply(e.getKey())) {
        for (Map.Entry<String, StatisticSet> m : e.getValue().entrySet()) {
          if (m.getValue().isEmpty() || !w.covers(m.getKey())) continue;
          merged.computeIfAbsent(new Identity(w.account(), w.region(), m.getKey(), w.dimensions()),
              i -> new StatisticSet(m.getValue().keepsValues())).merge(m.getValue());
        }
      }
    }
    byResource.clear();
    List<AwsMetricDatum> out = new ArrayList<>(merged.size());
    merged.forEach((i, set) -> out.add(set.datum(i.account(), i.region(), namespace, i.metric(), i.dimensions(),
        units.get(i.metric()))));
    return out;
  }
}
