package io.eventplane.functions.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of a stream mapping that need no server: the event, the failure record, the stored settings. */
class StreamMappingPartsTest {
  private static final String STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/s";
  private static final String SEQ1 = "49600000000000000000000000000000000000000001000000000000";
  private static final String SEQ2 = "49600000000000000000000000000000000000000002000000000000";

  private static JsonObject record(String seq, String key, double arrival) {
    return new JsonObject().put("SequenceNumber", seq).put("ApproximateArrivalTimestamp", arrival).put("Data", "aGVsbG8=")
        .put("PartitionKey", key);
  }

  @Test
  void theEventHasTheMembersAwsSends() {
    JsonObject event = KinesisEvents.event(List.of(record(SEQ1, "test_0", 1_700_000_000.123)), "shardId-000000000000", STREAM,
        "us-east-1", "arn:aws:iam::000000000000:role/r");
    // The record as recorded against AWS (LocalStack's test_create_kinesis_event_source_mapping snapshot).
    assertThat(event).isEqualTo(new JsonObject().put("Records", new JsonArray().add(new JsonObject()
        .put("kinesis", new JsonObject().put("kinesisSchemaVersion", "1.0").put("partitionKey", "test_0")
            .put("sequenceNumber", SEQ1).put("data", "aGVsbG8=").put("approximateArrivalTimestamp", 1_700_000_000.123))
        .put("eventSource", "aws:kinesis").put("eventVersion", "1.0").put("eventID", "shardId-000000000000:" + SEQ1)
        .put("eventName", "aws:kinesis:record").put("invokeIdentityArn", "arn:aws:iam::000000000000:role/r")
        .put("awsRegion", "us-east-1").put("eventSourceARN", STREAM))));
  }

  @Test
  void theFailureRecordNamesTheBatchsRange() {
    JsonObject failure = KinesisEvents.failureRecord(List.of(record(SEQ1, "a", 1_700_000_000.0), record(SEQ2, "b", 1_700_000_001.5)),
        "shardId-000000000001", STREAM, "arn:aws:lambda:us-east-1:000000000000:function:f", "req", "RecordAgeExceeded", 0, null,
        null, 1_700_000_100_000L);
    assertThat(failure).isEqualTo(new JsonObject()
        .put("requestContext", new JsonObject().put("requestId", "req").put("functionArn", "arn:aws:lambda:us-east-1:000000000000:function:f")
            .put("condition", "RecordAgeExceeded").put("approximateInvokeCount", 0))
        .put("responseContext", new JsonObject())
        .put("version", "1.0")
        .put("timestamp", "2023-11-14T22:15:00.000Z")
        .put("KinesisBatchInfo", new JsonObject().put("shardId", "shardId-000000000001").put("startSequenceNumber", SEQ1)
            .put("endSequenceNumber", SEQ2).put("approximateArrivalOfFirstRecord", "2023-11-14T22:13:20.000Z")
            .put("approximateArrivalOfLastRecord", "2023-11-14T22:13:21.500Z").put("batchSize", 2).put("streamArn", STREAM)));
  }

  @Test
  void settingsSurviveTheStoreAndShowAsLambdaShowsThem() {
    StreamSettings s = StreamSettings.create(new JsonObject().put("StartingPosition", "AT_TIMESTAMP")
        .put("StartingPositionTimestamp", 1_700_000_000.5).put("ParallelizationFactor", 3).put("MaximumRetryAttempts", 7)
        .put("MaximumRecordAgeInSeconds", 60).put("BisectBatchOnFunctionError", true)
        .put("DestinationConfig", new JsonObject().put("OnFailure", new JsonObject().put("Destination",
            "arn:aws:sqs:us-east-1:000000000000:dlq"))));
    assertThat(StreamSettings.fromJson(s.toJson())).isEqualTo(s);
    JsonObject shown = new JsonObject();
    s.describe(shown);
    assertThat(shown).isEqualTo(new JsonObject().put("StartingPosition", "AT_TIMESTAMP").put("StartingPositionTimestamp", 1_700_000_000.5)
        .put("ParallelizationFactor", 3).put("BisectBatchOnFunctionError", true).put("MaximumRetryAttempts", 7)
        .put("MaximumRecordAgeInSeconds", 60).put("TumblingWindowInSeconds", 0)
        .put("DestinationConfig", new JsonObject().put("OnFailure", new JsonObject().put("Destination",
            "arn:aws:sqs:us-east-1:000000000000:dlq"))));
    StreamSettings cleared = s.updated(new JsonObject().put("DestinationConfig", new JsonObject().put("OnFailure",
        new JsonObject().put("Destination", ""))));
    assertThat(cleared.onFailure()).isNull();
  }
}
