package io.eventplane.functions.mapping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A function's subscription to an SQS queue or a Kinesis stream: Lambda polls the source and
 * invokes the function with batches of its messages or records.
 *
 * @param maximumConcurrency ScalingConfig.MaximumConcurrency: how many batches run at once, or null (the default)
 * @param reportBatchItemFailures FunctionResponseTypes contains ReportBatchItemFailures
 * @param lastModified epoch millis
 * @param stream the settings of a mapping from a Kinesis stream; null for a queue
 */
public record EventSourceMapping(String uuid, String accountId, String region, String functionArn,
    String eventSourceArn, int batchSize, int maximumBatchingWindowSeconds, Integer maximumConcurrency,
    boolean reportBatchItemFailures, boolean enabled, long lastModified, StreamSettings stream) {
  /** Pollers of a mapping without ScalingConfig. */
  static final int DEFAULT_POLLERS = 2;

  int pollers() {
    return maximumConcurrency == null ? DEFAULT_POLLERS : maximumConcurrency;
  }

  boolean fifo() {
    return eventSourceArn.endsWith(".fifo");
  }

  String queueName() {
    return eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
  }

  String queueAccount() {
    return eventSourceArn.split(":")[4];
  }

  String queueRegion() {
    return eventSourceArn.split(":")[3];
  }

  /** The EventSourceMappingConfiguration shape of the API reference. */
  public JsonObject configuration(String state) {
    JsonObject out = new JsonObject()
        .put("UUID", uuid)
        .put("BatchSize", batchSize)
        .put("MaximumBatchingWindowInSeconds", maximumBatchingWindowSeconds)
        .put("EventSourceArn", eventSourceArn)
        .put("FunctionArn", functionArn)
        .put("LastModified", lastModified / 1000.0)
        .put("State", state)
        .put("StateTransitionReason", stream == null ? "USER_INITIATED" : "User action")
        .put("FunctionResponseTypes", reportBatchItemFailures ? new JsonArray().add("ReportBatchItemFailures") : new JsonArray());
    if (stream != null) {
      stream.describe(out);
      out.put("EventSourceMappingArn", "arn:aws:lambda:" + region + ":" + accountId + ":event-source-mapping:" + uuid);
    }
    if (maximumConcurrency != null) out.put("ScalingConfig", new JsonObject().put("MaximumConcurrency", maximumConcurrency));
    return out;
  }

  public JsonObject configuration() {
    return configuration(enabled ? "Enabled" : "Disabled");
  }

  EventSourceMapping with(int batch, int window, Integer concurrency, boolean report, boolean on, long modified,
      StreamSettings settings) {
    return new EventSourceMapping(uuid, accountId, region, functionArn, eventSourceArn, batch, window, concurrency, report,
        on, modified, settings);
  }

  public JsonObject toJson() {
    return new JsonObject().put("uuid", uuid).put("account", accountId).put("region", region)
        .put("function", functionArn).put("source", eventSourceArn).put("batch", batchSize)
        .put("window", maximumBatchingWindowSeconds).put("concurrency", maximumConcurrency)
        .put("report", reportBatchItemFailures).put("enabled", enabled).put("modified", lastModified)
        .put("stream", stream == null ? null : stream.toJson());
  }

  public static EventSourceMapping fromJson(JsonObject j) {
    return new EventSourceMapping(j.getString("uuid"), j.getString("account"), j.getString("region"),
        j.getString("function"), j.getString("source"), j.getInteger("batch"), j.getInteger("window"),
        j.getInteger("concurrency"), j.getBoolean("report"), j.getBoolean("enabled"), j.getLong("modified"),
        StreamSettings.fromJson(j.getJsonObject("stream")));
  }

  static List<String> responseTypes(JsonArray types) {
    return types == null ? List.of() : types.stream().map(String::valueOf).toList();
  }
}
