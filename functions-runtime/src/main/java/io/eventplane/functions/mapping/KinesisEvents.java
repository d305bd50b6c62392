package io.eventplane.functions.mapping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What Lambda sends for a stream mapping: the event a function gets for a batch of a shard's
 * records ({@code Records[]} with {@code kinesis{kinesisSchemaVersion, partitionKey, sequenceNumber,
 * data, approximateArrivalTimestamp}}, {@code eventSource}, {@code eventVersion}, {@code eventID}
 * "shardId:sequenceNumber", {@code eventName}, {@code invokeIdentityArn}, {@code awsRegion},
 * {@code eventSourceARN}, as recorded against AWS), and the invocation record an SQS queue or SNS
 * topic gets for a batch that was discarded ({@code KinesisBatchInfo}, as the Lambda developer guide
 * shows it). Records are GetRecords' output items (data base64, arrival in epoch seconds).
 */
final class KinesisEvents {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private KinesisEvents() {}

  static JsonObject event(List<JsonObject> records, String shardId, String streamArn, String region, String role) {
    JsonArray out = new JsonArray();
    for (JsonObject r : records) {
      out.add(new JsonObject()
          .put("kinesis", new JsonObject()
              .put("kinesisSchemaVersion", "1.0")
              .put("partitionKey", r.getString("PartitionKey"))
              .put("sequenceNumber", r.getString("SequenceNumber"))
              .put("data", r.getString("Data"))
              .put("approximateArrivalTimestamp", r.getValue("ApproximateArrivalTimestamp")))
          .put("eventSource", "aws:kinesis")
          .put("eventVersion", "1.0")
          .put("eventID", shardId + ":" + r.getString("SequenceNumber"))
          .put("eventName", "aws:kinesis:record")
          .put("invokeIdentityArn", role)
          .put("awsRegion", region)
          .put("eventSourceARN", streamArn));
    }
    return new JsonObject().put("Records", out);
  }

  /**
   * The invocation record of a discarded batch.
   *
   * @param condition RetryAttemptsExhausted or RecordAgeExceeded
   * @param invokeCount how many times the batch was invoked (0 when its records expired before any invocation)
   * @param functionError the last invocation's FunctionError (Unhandled, Handled), or null
   * @param executedVersion the version the last invocation ran, or null when there was none
   */
  static JsonObject failureRecord(List<JsonObject> batch, String shardId, String streamArn, String functionArn,
      String requestId, String condition, int invokeCount, String functionError, String executedVersion, long now) {
    JsonObject first = batch.get(0);
    JsonObject last = batch.get(batch.size() - 1);
    JsonObject response = new JsonObject();
    if (executedVersion != null) {
      response.put("statusCode", 200).put("executedVersion", executedVersion);
      if (functionError != null) response.put("functionError", functionError);
    }
    return new JsonObject()
        .put("requestContext", new JsonObject().put("requestId", requestId).put("functionArn", functionArn)
            .put("condition", condition).put("approximateInvokeCount", invokeCount))
        .put("responseContext", response)
        .put("version", "1.0")
        .put("timestamp", iso(now))
        .put("KinesisBatchInfo", new JsonObject()
            .put("shardId", shardId)
            .put("startSequenceNumber", first.getString("SequenceNumber"))
            .put("endSequenceNumber", last.getString("SequenceNumber"))
            .put("approximateArrivalOfFirstRecord", iso(arrivalMillis(first)))
            .put("approximateArrivalOfLastRecord", iso(arrivalMillis(last)))
            .put("batchSize", batch.size())
            .put("streamArn", streamArn));
  }

  static long arrivalMillis(JsonObject record) {
    return Math.round(((Number) record.getValue("ApproximateArrivalTimestamp")).doubleValue() * 1000);
  }

  private static String iso(long millis) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(millis));
  }
}
