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

  @Test
  void aTumblingWindowIsAlignedAndAddsTheGuidesMembers() {
    // 2020-12-09T07:05:10.500Z in a 120 s window: the guide's example window.
    TumblingWindow w = TumblingWindow.of(1_607_497_510_500L, 120).withState(new JsonObject().put("1", 282).put("2", 715));
    JsonObject event = w.addTo(new JsonObject().put("Records", new JsonArray()), "shardId-000000000006", STREAM, false, false);
    assertThat(event).isEqualTo(new JsonObject().put("Records", new JsonArray())
        .put("window", new JsonObject().put("start", "2020-12-09T07:04:00Z").put("end", "2020-12-09T07:06:00Z"))
        .put("state", new JsonObject().put("1", 282).put("2", 715)).put("shardId", "shardId-000000000006")
        .put("eventSourceARN", STREAM).put("isFinalInvokeForWindow", false).put("isWindowTerminatedEarly", false));
    assertThat(TumblingWindow.fromJson(w.toJson())).isEqualTo(w);
    assertThat(TumblingWindow.fromJson("")).isNull();
    assertThat(w.fresh().state()).isEqualTo(new JsonObject());
    assertThat(w.withState(new JsonObject().put("pad", "x".repeat(TumblingWindow.MAX_STATE_BYTES))).oversized()).isTrue();
    assertThat(w.oversized()).isFalse();
  }

  @Test
  void onlyAnAnswerWithAnObjectStateCarriesTheWindowOn() {
    assertThat(TumblingWindow.stateOf("{\"state\":{\"n\":\"2\"},\"batchItemFailures\":[]}".getBytes()))
        .isEqualTo(new JsonObject().put("n", "2"));
    assertThat(TumblingWindow.stateOf("{\"batchItemFailures\":[]}".getBytes())).isNull();
    assertThat(TumblingWindow.stateOf("{\"state\":\"text\"}".getBytes())).isNull();
    assertThat(TumblingWindow.stateOf("null".getBytes())).isNull();
    assertThat(TumblingWindow.stateOf("not json".getBytes())).isNull();
    assertThat(TumblingWindow.stateOf(new byte[0])).isNull();
  }

  @Test
  void theWindowLengthIsStoredAndOldMappingsHaveNone() {
    StreamSettings s = StreamSettings.create(new JsonObject().put("StartingPosition", "LATEST").put("TumblingWindowInSeconds", 120));
    assertThat(s.tumblingWindowSeconds()).isEqualTo(120);
    assertThat(StreamSettings.fromJson(s.toJson())).isEqualTo(s);
    JsonObject stored = s.toJson();
    stored.remove("tumbling");
    assertThat(StreamSettings.fromJson(stored).tumblingWindowSeconds()).isZero();
    assertThat(s.updated(new JsonObject().put("BatchSize", 5)).tumblingWindowSeconds()).isEqualTo(120);
    assertThat(s.updated(new JsonObject().put("TumblingWindowInSeconds", 0)).tumblingWindowSeconds()).isZero();
  }
}
