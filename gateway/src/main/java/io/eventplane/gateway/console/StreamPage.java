package io.eventplane.gateway.console;

import io.eventplane.gateway.cloudwatch.CloudWatchProtocols;
import io.eventplane.gateway.kinesis.KinesisJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One data stream (Kinesis): DescribeStreamSummary, its shards a page at a time (ListShards: ids,
 * hash key ranges, parents), its enhanced fan-out consumers (ListStreamConsumers), and its
 * throughput and consumers' lag as CloudWatch has them: AWS/Kinesis IncomingRecords and
 * IncomingBytes (Sum per minute) and SubscribeToShardEvent.MillisBehindLatest (Maximum) per consumer,
 * through GetMetricStatistics over the last hour of the services' clock (the one CloudWatch stamps
 * the AWS namespaces' datapoints with: the wall clock, unless a test drives it). CloudWatch is cluster-wide
 * (each node's sampler publishes what its lanes own); the page says when it has no datapoints.
 */
final class StreamPage {
  static final int SHARD_PAGE = 100;
  static final long WINDOW_MILLIS = 3_600_000L;

  private StreamPage() {}

  /** @param metrics this node's metrics: the throughput and lag shown when CloudWatch has no datapoints */
  static Future<String> render(Caller caller, String name, String shardToken, long now, io.eventplane.common.metrics.NodeMetrics metrics) {
    NodeStreamMeters node = NodeStreamMeters.of(metrics);
    String account = caller.context().accountId();
    String region = caller.context().region();
    return caller.call(KinesisJsonProtocol.BINDING, "DescribeStreamSummary", new JsonObject().put("StreamName", name))
        .compose(d -> {
          JsonObject summary = d.getJsonObject("StreamDescriptionSummary", new JsonObject());
          String arn = summary.getString("StreamARN");
          // ListShards takes either the stream or a token (which names the stream), never both.
          JsonObject shardsIn = new JsonObject().put("MaxResults", SHARD_PAGE);
          if (shardToken != null && !shardToken.isEmpty()) shardsIn.put("NextToken", shardToken);
          else shardsIn.put("StreamName", name);
          Future<JsonObject> shards = caller.call(KinesisJsonProtocol.BINDING, "ListShards", shardsIn);
          Future<JsonObject> consumers = caller.call(KinesisJsonProtocol.BINDING, "ListStreamConsumers",
              new JsonObject().put("StreamARN", arn).put("MaxResults", 20));
          Future<JsonObject> records = statistics(caller, "IncomingRecords", "Sum", dims(name, null), now);
          Future<JsonObject> bytes = statistics(caller, "IncomingBytes", "Sum", dims(name, null), now);
          return Future.all(shards, consumers).compose(x -> {
            JsonArray cs = consumers.result().getJsonArray("Consumers", new JsonArray());
            List<Future<JsonObject>> lags = new ArrayList<>();
            for (Object o : cs) {
              lags.add(statistics(caller, "SubscribeToShardEvent.MillisBehindLatest", "Maximum",
                  dims(name, ((JsonObject) o).getString("ConsumerName")), now));
            }
            return Future.join(records, bytes).transform(y -> Future.join(lags))
                .transform(y -> Future.succeededFuture(html(name, summary, shardToken, shards.result(), cs, records, bytes, lags,
                    node == null ? null : (stream, consumer) -> consumer == null ? node.incoming(account, region, stream)
                        : lagOf(node.consumerLagMillis(account, region, stream, consumer)))));
          });
        });
  }

  private static JsonArray dims(String stream, String consumer) {
    JsonArray d = new JsonArray().add(new JsonObject().put("Name", "StreamName").put("Value", stream));
    if (consumer != null) d.add(new JsonObject().put("Name", "ConsumerName").put("Value", consumer));
    return d;
  }

  private static Future<JsonObject> statistics(Caller caller, String metric, String statistic, JsonArray dimensions, long now) {
    return caller.call(CloudWatchProtocols.JSON, "GetMetricStatistics", new JsonObject().put("Namespace", "AWS/Kinesis")
        .put("MetricName", metric).put("Dimensions", dimensions)
        .put("StartTime", BigDecimal.valueOf((now - WINDOW_MILLIS) / 60_000 * 60))
        .put("EndTime", BigDecimal.valueOf(now / 60_000 * 60 + 60)).put("Period", 60)
        .put("Statistics", new JsonArray().add(statistic)));
  }

  private static String html(String name, JsonObject s, String shardToken, JsonObject shards, JsonArray consumers,
      Future<JsonObject> records, Future<JsonObject> bytes, List<Future<JsonObject>> lags,
      java.util.function.BiFunction<String, String, double[]> node) {
    StringBuilder b = new StringBuilder();
    JsonObject mode = s.getJsonObject("StreamModeDetails", new JsonObject());
    b.append("<dl class=\"facts\"><div><dt>Status</dt><dd id=\"stream-status\">").append(Html.text(s.getString("StreamStatus")))
        .append("</dd></div><div><dt>ARN</dt><dd><code>").append(Html.text(s.getString("StreamARN"))).append("</code></dd></div>")
        .append("<div><dt>Capacity mode</dt><dd>").append(Html.text(mode.getString("StreamMode", "-"))).append("</dd></div>")
        .append("<div><dt>Open shards</dt><dd id=\"open-shards\">").append(Html.text(s.getValue("OpenShardCount", "-")))
        .append("</dd></div><div><dt>Retention (hours)</dt><dd>").append(Html.text(s.getValue("RetentionPeriodHours", "-")))
        .append("</dd></div><div><dt>Created</dt><dd>").append(Html.text(Times.text(s.getValue("StreamCreationTimestamp"))))
        .append("</dd></div></dl>");

    b.append("<section aria-labelledby=\"throughput-h\"><h2 id=\"throughput-h\">Throughput</h2>");
    JsonArray recordPoints = points(records);
    JsonArray bytePoints = points(bytes);
    if (recordPoints == null && bytePoints == null) {
      // No CloudWatch datapoints: what this node counted, said as such.
      b.append("<p>CloudWatch has no <code>AWS/Kinesis</code> datapoints for this stream in the last hour")
          .append(records.failed() ? " (" + Html.text(records.cause().getMessage()) + ")" : "").append(".</p>");
      double[] counted = node == null ? null : node.apply(name, null);
      if (node == null) {
        b.append("<p id=\"throughput-source\">This node's metrics are off (<code>--metrics off</code>): no throughput to show.</p>");
      } else if (counted == null) {
        b.append("<p id=\"throughput-source\">From this node's metrics: it has counted no records of this stream since it ")
            .append("started (in a cluster, the node that owns the stream counts them: open its console).</p>");
      } else {
        b.append("<p id=\"throughput-source\">From this node's metrics (Prometheus <code>eventplane_kinesis_incoming_records_total</code>")
            .append(" and <code>eventplane_kinesis_incoming_bytes_total</code>), totals since the node started:</p>")
            .append("<dl class=\"depth\"><div><dt>Incoming records</dt><dd id=\"incoming-records\">").append(number(counted[0]))
            .append("</dd></div><div><dt>Incoming bytes</dt><dd id=\"incoming-bytes\">").append(number(counted[1]))
            .append("</dd></div></dl>");
      }
    } else {
      b.append("<p id=\"throughput-source\">From CloudWatch: namespace <code>AWS/Kinesis</code>, dimension StreamName, ")
          .append("Sum per minute over the last hour (GetMetricStatistics).</p>");
      b.append("<table id=\"throughput\"><caption>Incoming per minute</caption><thead><tr><th scope=\"col\">Minute</th>")
          .append("<th scope=\"col\">IncomingRecords</th><th scope=\"col\">IncomingBytes</th></tr></thead><tbody>");
      java.util.TreeMap<Long, double[]> byMinute = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
      collect(byMinute, recordPoints, 0, "Sum");
      collect(byMinute, bytePoints, 1, "Sum");
      byMinute.forEach((t, v) -> b.append("<tr><th scope=\"row\">").append(java.time.Instant.ofEpochMilli(t)).append("</th><td>")
          .append(number(v[0])).append("</td><td>").append(number(v[1])).append("</td></tr>"));
      b.append("</tbody></table>");
    }
    b.append("</section>");

    JsonArray list = shards.getJsonArray("Shards", new JsonArray());
    b.append("<section aria-labelledby=\"shards-h\"><h2 id=\"shards-h\">Shards</h2>")
        .append("<table id=\"shards\"><caption>ListShards, ").append(list.size()).append(" on this page</caption><thead><tr>")
        .append("<th scope=\"col\">Shard id</th><th scope=\"col\">Hash key range</th><th scope=\"col\">Parent</th>")
        .append("<th scope=\"col\">Adjacent parent</th><th scope=\"col\">State</th></tr></thead><tbody>");
    for (Object o : list) {
      JsonObject sh = (JsonObject) o;
      JsonObject range = sh.getJsonObject("HashKeyRange", new JsonObject());
      JsonObject seq = sh.getJsonObject("SequenceNumberRange", new JsonObject());
      b.append("<tr><th scope=\"row\"><code>").append(Html.text(sh.getString("ShardId"))).append("</code></th><td><code>")
          .append(Html.text(range.getString("StartingHashKey"))).append("</code> to <code>")
          .append(Html.text(range.getString("EndingHashKey"))).append("</code></td><td>")
          .append(Html.text(sh.getString("ParentShardId", "-"))).append("</td><td>")
          .append(Html.text(sh.getString("AdjacentParentShardId", "-"))).append("</td><td>")
          .append(seq.getString("EndingSequenceNumber") == null ? "open" : "closed").append("</td></tr>");
    }
    b.append("</tbody></table>").append(PageLinks.nav("streams/" + Html.url(name), "", shardToken, shards.getString("NextToken"),
        "shards")).append("</section>");

    b.append("<section aria-labelledby=\"consumers-h\"><h2 id=\"consumers-h\">Consumers</h2>");
    if (consumers.isEmpty()) {
      b.append("<p id=\"consumers-none\">No enhanced fan-out consumers are registered.</p>");
    } else {
      b.append("<table id=\"consumers\"><caption>ListStreamConsumers, with their lag: CloudWatch's AWS/Kinesis ")
          .append("SubscribeToShardEvent.MillisBehindLatest (the highest in the latest minute of the last hour), else this node's ")
          .append("eventplane_kinesis_consumer_iterator_age_seconds</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\">Registered</th>")
          .append("<th scope=\"col\">Lag (ms behind latest)</th></tr></thead><tbody>");
      for (int i = 0; i < consumers.size(); i++) {
        JsonObject c = consumers.getJsonObject(i);
        JsonArray lag = points(lags.get(i));
        b.append("<tr><th scope=\"row\">").append(Html.text(c.getString("ConsumerName"))).append("</th><td>")
            .append(Html.text(c.getString("ConsumerStatus"))).append("</td><td>")
            .append(Html.text(Times.text(c.getValue("ConsumerCreationTimestamp")))).append("</td><td>")
            .append(lag != null ? number(latest(lag, "Maximum")) + " (CloudWatch)" : nodeLag(node, name, c.getString("ConsumerName")))
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    return b.append("</section>").toString();
  }

  private static double[] lagOf(Double millis) {
    return millis == null ? null : new double[] {millis};
  }

  private static String nodeLag(java.util.function.BiFunction<String, String, double[]> node, String stream, String consumer) {
    double[] lag = node == null ? null : node.apply(stream, consumer);
    return lag == null ? "not known here" : number(lag[0]) + " (this node)";
  }

  /** The datapoints of an answered GetMetricStatistics, or null when it failed or has none. */
  private static JsonArray points(Future<JsonObject> answer) {
    if (!answer.succeeded()) return null;
    JsonArray p = answer.result().getJsonArray("Datapoints", new JsonArray());
    return p.isEmpty() ? null : p;
  }

  private static void collect(java.util.Map<Long, double[]> byMinute, JsonArray points, int column, String statistic) {
    if (points == null) return;
    for (Object o : points) {
      JsonObject p = (JsonObject) o;
      Long t = Times.millis(p.getValue("Timestamp"));
      if (t == null) continue;
      byMinute.computeIfAbsent(t, k -> new double[] {Double.NaN, Double.NaN})[column] = p.getDouble(statistic, Double.NaN);
    }
  }

  private static double latest(JsonArray points, String statistic) {
    long best = Long.MIN_VALUE;
    double value = Double.NaN;
    for (Object o : points) {
      JsonObject p = (JsonObject) o;
      Long t = Times.millis(p.getValue("Timestamp"));
      if (t != null && t > best) {
        best = t;
        value = p.getDouble(statistic, Double.NaN);
      }
    }
    return value;
  }

  private static String number(double v) {
    if (Double.isNaN(v)) return "-";
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
