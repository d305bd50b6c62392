package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.combination;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missingWith;

import io.eventplane.cloudwatch.domain.Aggregate;
import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.MetricTable;
import io.eventplane.cloudwatch.domain.Units;
import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * PutMetricData: the checks (as the API reference states them: 1-1,000 metrics, 30 dimensions,
 * namespaces outside {@code AWS/}, values within +-2^360, timestamps from two weeks ago to two
 * hours ahead, Value or Values or StatisticValues) and the write at a metric's owner. A call's
 * metrics may live in many partitions: {@link #split} turns it into one internal call per
 * partition ({@code eventplane:PutPoints}), each a batch of points written through that
 * partition's writer. The call is answered once every part is durable; a part that fails fails the
 * call, and the parts that were written stay (CloudWatch promises no more).
 *
 * <p>StorageResolution 1 (high resolution) is accepted and stored at one-minute resolution.
 */
public final class MetricPuts {
  static final int MAX_METRICS = 1000;
  static final int MAX_VALUES = 150;
  private static final double LIMIT = Math.pow(2, 360);
  private static final Duration PAST = Duration.ofDays(14);
  private static final Duration FUTURE = Duration.ofHours(2);

  private final MetricTable table;
  private final CloudWatchStore store;
  private final Context context;
  private final Clock clock;

  public MetricPuts(MetricTable table, CloudWatchStore store, Context context, Clock clock) {
    this.table = table;
    this.store = store;
    this.context = context;
    this.clock = clock;
  }

  /** The client's call checked, as internal calls by partition: {@code {Data: [point...], eventplane:Partition}}. */
  public Map<Integer, JsonObject> split(JsonObject input, RequestContext ctx) {
    String namespace = Inputs.requiredName(input, "Namespace", "Namespace");
    if (namespace.startsWith("AWS/")) throw invalid("The value AWS/ for parameter Namespace is invalid.");
    if (namespace.startsWith(":")) throw invalid("The value " + namespace + " for parameter Namespace is invalid.");
    Object data = input.getValue("MetricData");
    if (data == null) throw missing("MetricData");
    JsonArray list = Inputs.array(data, "MetricData");
    if (list.isEmpty()) throw missing("MetricData");
    if (list.size() > MAX_METRICS) {
      throw invalid("The collection MetricData must not have a size greater than " + MAX_METRICS + ".");
    }
    long now = clock.millis();
    List<JsonObject> points = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      points.add(point(ctx, namespace, Inputs.object(list.getValue(i), "MetricData.member." + (i + 1)),
          "MetricData.member." + (i + 1) + ".", now));
    }
    return byPartition(points);
  }

  /**
   * Points (as {@link #point} makes them, or the AWS namespaces' sampler: {@code {Metric, Millis,
   * Unit, Values, Counts}} or {@code {..., Set: [SampleCount, Sum, Minimum, Maximum]}}) grouped into
   * internal calls by partition.
   */
  @SuppressWarnings("unchecked")
  public static Map<Integer, JsonObject> byPartition(List<?> points) {
    Map<Integer, JsonObject> out = new LinkedHashMap<>();
    for (Object o : points) {
      JsonObject p = o instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) o);
      int partition = MetricId.fromStored(p.getJsonObject("Metric")).partition();
      out.computeIfAbsent(partition, k -> new JsonObject().put(CloudWatchPartitions.PARTITION, k).put("Data", new JsonArray()))
          .getJsonArray("Data").add(p);
    }
    return out;
  }

  private static JsonObject point(RequestContext ctx, String namespace, JsonObject datum, String at, long now) {
    String name = Inputs.requiredName(datum, "MetricName", at + "MetricName");
    MetricId id = new MetricId(ctx.accountId(), ctx.region(), namespace, name,
        Inputs.dimensions(datum.getValue("Dimensions"), at + "Dimensions", false));
    Long timestamp = Inputs.millis(datum, "Timestamp", at + "Timestamp");
    long millis = timestamp == null ? now : timestamp;
    if (millis < now - PAST.toMillis() || millis > now + FUTURE.toMillis()) {
      throw invalid("The parameter " + at + "Timestamp must specify a time within the past two weeks.");
    }
    int unit = Inputs.unit(datum, "Unit", at + "Unit");
    Integer resolution = Inputs.integer(datum, "StorageResolution", at + "StorageResolution");
    if (resolution != null && resolution != 1 && resolution != 60) {
      throw invalid("The value " + resolution + " for parameter " + at + "StorageResolution is invalid.");
    }
    Double value = Inputs.number(datum, "Value", at + "Value");
    Object values = datum.getValue("Values");
    Object set = datum.getValue("StatisticValues");
    int given = (value != null ? 1 : 0) + (values != null ? 1 : 0) + (set != null ? 1 : 0);
    if (given == 0) {
      throw missingWith("At least one of the parameters " + at + "Value, " + at + "Values or " + at
          + "StatisticValues must be specified.");
    }
    if (given > 1) {
      throw combination("The parameters " + at + "Value, " + at + "Values and " + at
          + "StatisticValues are mutually exclusive and you have specified more than one.");
    }
    JsonObject point = new JsonObject().put("Metric", id.toStored()).put("Millis", millis)
        .put("Unit", unit < 0 ? Units.NONE : unit);
    if (value != null) {
      point.put("Values", new JsonArray().add(checked(value, at + "Value"))).put("Counts", new JsonArray().add(1.0));
    } else if (values != null) {
      JsonArray vs = Inputs.array(values, at + "Values");
      if (vs.size() > MAX_VALUES) throw invalid("The collection " + at + "Values must not have a size greater than " + MAX_VALUES + ".");
      JsonArray checkedValues = new JsonArray();
      for (int i = 0; i < vs.size(); i++) {
        checkedValues.add(checked(Inputs.number(new JsonObject().put("v", vs.getValue(i)), "v", at + "Values.member." + (i + 1)),
            at + "Values.member." + (i + 1)));
      }
      JsonArray counts = new JsonArray();
      Object cs = datum.getValue("Counts");
      if (cs == null) {
        for (int i = 0; i < vs.size(); i++) counts.add(1.0);
      } else {
        JsonArray given2 = Inputs.array(cs, at + "Counts");
        if (given2.size() != vs.size()) {
          throw invalid("The parameters " + at + "Values and " + at + "Counts must be of the same size.");
        }
        for (int i = 0; i < given2.size(); i++) {
          Double c = Inputs.number(new JsonObject().put("c", given2.getValue(i)), "c", at + "Counts.member." + (i + 1));
          if (c == null || !(c >= 0) || Double.isInfinite(c)) {
            throw invalid("The value " + c + " for parameter " + at + "Counts.member." + (i + 1) + " is invalid.");
          }
          counts.add(c);
        }
      }
      if (checkedValues.isEmpty()) throw missing(at + "Values");
      point.put("Values", checkedValues).put("Counts", counts);
    } else {
      point.put("Set", statisticSet(Inputs.object(set, at + "StatisticValues"), at + "StatisticValues."));
    }
    return point;
  }

  private static JsonArray statisticSet(JsonObject set, String at) {
    List<String> absent = new ArrayList<>();
    for (String m : List.of("Maximum", "Minimum", "SampleCount", "Sum")) {
      if (set.getValue(m) == null) absent.add("The parameter " + at + m + " is required.");
    }
    if (!absent.isEmpty()) throw missingWith(String.join("\n", absent));
    double count = checked(Inputs.number(set, "SampleCount", at + "SampleCount"), at + "SampleCount");
    double sum = checked(Inputs.number(set, "Sum", at + "Sum"), at + "Sum");
    double min = checked(Inputs.number(set, "Minimum", at + "Minimum"), at + "Minimum");
    double max = checked(Inputs.number(set, "Maximum", at + "Maximum"), at + "Maximum");
    if (count <= 0) throw invalid("The parameter " + at + "SampleCount must be greater than 0.");
    if (max < min) throw invalid("The parameter " + at + "Maximum must be greater than " + at + "Minimum.");
    return new JsonArray().add(count).add(sum).add(min).add(max);
  }

  private static double checked(Double value, String parameter) {
    if (value == null || value.isNaN() || value.isInfinite() || Math.abs(value) > LIMIT) {
      throw invalid("The value " + value + " for parameter " + parameter + " is invalid.");
    }
    return value;
  }

  /** At the partition's owner: the points of one internal call written in one batch, durable when this completes. */
  public Future<JsonObject> write(int partition, JsonArray data) {
    table.requireLoaded(partition);
    record Touched(MetricId id, long key, long minute) {}
    List<Touched> touched = new ArrayList<>(data.size());
    Map<Long, JsonObject> metrics = new LinkedHashMap<>();
    Batch b = store.batch();
    for (int i = 0; i < data.size(); i++) {
      JsonObject p = data.getJsonObject(i);
      MetricId id = MetricId.fromStored(p.getJsonObject("Metric"));
      long key = id.key();
      long minute = Math.floorDiv(p.getLong("Millis"), 60_000L) * 60_000L;
      Aggregate a = Aggregate.empty();
      JsonArray set = p.getJsonArray("Set");
      if (set != null) {
        a.addSet(set.getDouble(0), set.getDouble(1), set.getDouble(2), set.getDouble(3));
      } else {
        JsonArray values = p.getJsonArray("Values");
        JsonArray counts = p.getJsonArray("Counts");
        for (int v = 0; v < values.size(); v++) {
          if (counts.getDouble(v) > 0) a.add(values.getDouble(v), counts.getDouble(v));
        }
      }
      if (a.isEmpty()) continue;
      store.putPoint(b, partition, key, minute, p.getInteger("Unit"), ThreadLocalRandom.current().nextLong(), a);
      MetricTable.Entry known = table.find(partition, key);
      JsonObject previous = metrics.get(key);
      long last = Math.max(minute, Math.max(known == null ? 0 : known.last(), previous == null ? 0 : previous.getLong("Last")));
      metrics.put(key, id.toStored().put("Last", last));
      touched.add(new Touched(id, key, minute));
    }
    metrics.forEach((key, m) -> store.putMetric(b, partition, key, m));
    return store.commit(partition, b, context).map(v -> {
      for (Touched t : touched) table.touch(partition, t.id(), t.key(), t.minute());
      return new JsonObject();
    });
  }
}
