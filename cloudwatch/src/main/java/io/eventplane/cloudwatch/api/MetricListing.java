package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;

import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.MetricTable;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ListMetrics: the account's and region's metrics with a point in the last two weeks (the last
 * three hours with RecentlyActive {@code PT3H}), filtered by Namespace, MetricName and Dimensions
 * (each filter's Name must be among the metric's dimensions, with its Value when given). Metrics
 * live in every partition, so the question goes to every lane of every node
 * ({@code eventplane:ListLocal}); the answers are sorted by identity and paged by 500, NextToken
 * naming the last metric of the page.
 */
public final class MetricListing {
  static final int PAGE = 500;
  private static final Duration LISTED = Duration.ofDays(14);
  private static final Duration RECENT = Duration.ofHours(3);

  private final MetricTable table;
  private final Clock clock;

  public MetricListing(MetricTable table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  /** The question every lane answers, checked: {@code eventplane:ListLocal}'s input. */
  public JsonObject question(JsonObject input) {
    JsonObject q = new JsonObject();
    String namespace = Inputs.optionalString(input, "Namespace", "Namespace");
    if (namespace != null) Inputs.length(namespace, "Namespace", Inputs.MAX_NAME);
    String name = Inputs.optionalString(input, "MetricName", "MetricName");
    if (name != null) Inputs.length(name, "MetricName", Inputs.MAX_NAME);
    Map<String, String> filters = Inputs.dimensions(input.getValue("Dimensions"), "Dimensions", true);
    String recently = Inputs.optionalString(input, "RecentlyActive", "RecentlyActive");
    if (recently != null && !recently.equals("PT3H")) {
      throw invalid("The value " + recently + " for parameter RecentlyActive is invalid.");
    }
    JsonObject dims = new JsonObject();
    filters.forEach(dims::put);
    return q.put("Namespace", namespace).put("MetricName", name).put("Dimensions", dims)
        .put("Since", clock.millis() - (recently != null ? RECENT : LISTED).toMillis());
  }

  /** This lane's answer: its metrics that match, as {@code {Metrics: [{Key, Metric}]}}. */
  public JsonObject local(JsonObject q, RequestContext ctx) {
    JsonArray out = new JsonArray();
    String namespace = q.getString("Namespace");
    String name = q.getString("MetricName");
    JsonObject dims = q.getJsonObject("Dimensions");
    long since = q.getLong("Since");
    for (int partition : table.partitions()) {
      for (MetricTable.Entry e : table.of(partition)) {
        MetricId id = e.id();
        if (e.last() + 60_000L <= since || !id.account().equals(ctx.accountId()) || !id.region().equals(ctx.region())) continue;
        if (namespace != null && !namespace.equals(id.namespace())) continue;
        if (name != null && !name.equals(id.metricName())) continue;
        if (!matches(id, dims)) continue;
        out.add(new JsonObject().put("Key", id.canonical()).put("Metric", id.toJson()));
      }
    }
    return new JsonObject().put("Metrics", out);
  }

  private static boolean matches(MetricId id, JsonObject filters) {
    for (Map.Entry<String, Object> f : filters) {
      String value = id.dimensions().get(f.getKey());
      if (value == null || (f.getValue() != null && !f.getValue().equals(value))) return false;
    }
    return true;
  }

  /** The page after NextToken of every lane's answers. */
  public JsonObject page(List<JsonObject> answers, JsonObject input) {
    String token = Inputs.optionalString(input, "NextToken", "NextToken");
    String after = token == null ? null : decode(token);
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject a : answers) for (Object m : a.getJsonArray("Metrics")) all.add((JsonObject) m);
    all.sort(Comparator.comparing(m -> m.getString("Key")));
    JsonArray metrics = new JsonArray();
    String last = null;
    boolean more = false;
    for (JsonObject m : all) {
      String key = m.getString("Key");
      if (after != null && key.compareTo(after) <= 0) continue;
      if (metrics.size() == PAGE) {
        more = true;
        break;
      }
      metrics.add(m.getJsonObject("Metric"));
      last = key;
    }
    JsonObject out = new JsonObject().put("Metrics", metrics);
    if (more) out.put("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("The value " + token + " for parameter NextToken is invalid.");
    }
  }

}
