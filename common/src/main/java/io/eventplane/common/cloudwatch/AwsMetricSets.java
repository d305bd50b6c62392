package io.eventplane.common.cloudwatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
  /** Where a resource's data go: its account, region and the dimensions AWS gives its metrics. */
  public record Where(String account, String region, Map<String, String> dimensions) {
    public Where {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(region, "region");
      dimensions = Map.copyOf(dimensions);
    }
  }

  private final String namespace;
  private final Map<String, String> units;
  private final Map<K, Map<String, StatisticSet>> byResource = new HashMap<>();

  /** @param units every metric's CloudWatch unit, by metric name */
  public AwsMetricSets(String namespace, Map<String, String> units) {
    this.namespace = namespace;
    this.units = Map.copyOf(units);
  }

  /** The set of {@code metric} for {@code resource} this minute (the metric must be one of the units' names). */
  public StatisticSet of(K resource, String metric) {
    if (!units.containsKey(metric)) throw new IllegalArgumentException("no unit for " + namespace + " " + metric);
    return byResource.computeIfAbsent(resource, r -> new HashMap<>()).computeIfAbsent(metric, m -> new StatisticSet());
  }

  /**
   * The minute's data, and the counts start again.
   *
   * @param where a resource's account, region and dimensions; may answer several (a Lambda function's
   *     data go under FunctionName and under FunctionName + Resource), or none to leave it out
   */
  public List<AwsMetricDatum> drain(Function<K, List<Where>> where) {
    List<AwsMetricDatum> out = new ArrayList<>();
    for (Map.Entry<K, Map<String, StatisticSet>> e : byResource.entrySet()) {
      for (Where w : where.apply(e.getKey())) {
        for (Map.Entry<String, StatisticSet> m : e.getValue().entrySet()) {
          if (m.getValue().isEmpty()) continue;
          out.add(m.getValue().datum(w.account(), w.region(), namespace, m.getKey(), w.dimensions(), units.get(m.getKey())));
        }
      }
    }
    byResource.clear();
    return out;
  }
}
