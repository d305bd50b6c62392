package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Event source mappings from Kinesis streams: the event as AWS sends it, order per shard, batch size
 * and window, starting positions, bisect, retries and the on-failure destination, record age on the
 * server's clock, ReportBatchItemFailures, ParallelizationFactor, the API's answers and bad input.
 */
class KinesisToFunctionTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String RECORDER = "io.eventplane.examples.StreamRecorder::handleRequest";
  private static final Pattern BATCH = Pattern.compile("BATCH (\\S+) (\\d+) (.*)");
  private static final Pattern RECORD = Pattern.compile("RECORD (\\S+) seq=(\\d+) key=(\\S+) data=(\\S+) arrival=(\\d+) "
      + "schema=(\\S+) source=(\\S+) version=(\\S+) name=(\\S+) role=(\\S+) region=(\\S+) arn=(\\S+)");

  private static LambdaClient lambda() {
    return server.lambda();
  }

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static String stream(String name, int shards) {
    kinesis().createStream(b -> b.streamName(name).shardCount(shards));
    return kinesis().describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
  }

  private static void function(String name, Map<String, String> env) {
    Functions.create(lambda(), name, RECORDER, 10, env);
  }

  private static String put(String stream, String key, String data) {
    return kinesis().putRecord(b -> b.streamName(stream).partitionKey(key).data(SdkBytes.fromUtf8String(data))).sequenceNumber();
  }

  private static void putAll(String stream, String key, List<String> data) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (String d : data) entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(d)).build());
    kinesis().putRecords(b -> b.streamName(stream).records(entries));
  }

  /** The function's invocations as it logged them: shard and the records' data, in order. */
  private static List<Map.Entry<String, List<String>>> batches(String function) {
    List<Map.Entry<String, List<String>>> out = new ArrayList<>();
    Matcher m = BATCH.matcher(Functions.logText(server, function));
    while (m.find()) out.add(Map.entry(m.group(1), List.of(m.group(3).split(","))));
    return out;
  }

  private static List<String> delivered(String function) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> b : batches(function)) out.addAll(b.getValue());
    return out;
  }

  private static void awaitEnabled(String uuid) {
    await().atMost(Duration.ofSeconds(30)).until(() -> lambda().getEventSourceMapping(b -> b.uuid(uuid)).state().equals("Enabled"));
  }

  /**
   * A one-shard stream {@code name}, its function {@code <name>-fn} and a TRIM_HORIZON mapping with
   * the queue {@code <name>-failures} as its OnFailure destination (and {@code settings}); the queue's URL.
   */
  private static String mappedWithFailureQueue(String name, Map<String, String> env,
      java.util.function.Consumer<software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest.Builder> settings) {
    String arn = stream(name, 1);
    String url = server.sqs().createQueue(b -> b.queueName(name + "-failures")).queueUrl();
    function(name + "-fn", env);
    lambda().createEventSourceMapping(b -> {
      b.functionName(name + "-fn").eventSourceArn(arn).startingPosition(EventSourcePosition.TRIM_HORIZON)
          .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:" + name + "-failures")));
      settings.accept(b);
    });
    return url;
  }

  private static List<JsonObject> failureRecords(String queueUrl, int atLeast) {
    List<JsonObject> out = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (Message m : server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        out.add(new JsonObject(m.body()));
      }
      return out.size() >= atLeast;
    });
    return out;
  }

  @Test
  void recordsReachTheFunctionInOrderPerShardAsAwsSendsThem() {
    String arn = stream("clicks", 2);
    function("clicks-recorder", Map.of());
    CreateEventSourceMappingResponse created = lambda().createEventSourceMapping(b -> b.functionName("clicks-recorder")
        .eventSourceArn(arn).startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(5));
    // As recorded against AWS (LocalStack's test_create_kinesis_event_source_mapping snapshot).
    assertThat(created.state()).isEqualTo("Creating");
    assertThat(created.stateTransitionReason()).isEqualTo("User action");
    assertThat(created.lastProcessingResult()).isEqualTo("No records processed");
    assertThat(created.batchSize()).isEqualTo(5);
    assertThat(created.startingPositionAsString()).isEqualTo("TRIM_HORIZON");
    assertThat(created.maximumBatchingWindowInSeconds()).isZero();
    assertThat(created.maximumRecordAgeInSeconds()).isEqualTo(-1);
    assertThat(created.maximumRetryAttempts()).isEqualTo(-1);
    assertThat(created.parallelizationFactor()).isEqualTo(1);
    assertThat(created.bisectBatchOnFunctionError()).isFalse();
    assertThat(created.tumblingWindowInSeconds()).isZero();
    assertThat(created.functionResponseTypes()).isEmpty();
    assertThat(created.destinationConfig().onFailure().destination()).isNull();
    assertThat(created.eventSourceMappingArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + created.uuid());
    assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:clicks-recorder");

    Map<String, List<String>> sent = new LinkedHashMap<>();
    Map<String, String> sequenceOf = new LinkedHashMap<>();
    for (int i = 0; i < 24; i++) {
      String key = "user-" + (i % 4);
      String data = key + "-" + i;
      sequenceOf.put(data, put("clicks", key, data));
      sent.computeIfAbsent(key, k -> new ArrayList<>()).add(data);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered("clicks-recorder").size() >= 24);
    List<String> all = delivered("clicks-recorder");
    assertThat(all).containsExactlyInAnyOrderElementsOf(sequenceOf.keySet());
    for (List<String> ofKey : sent.values()) {
      assertThat(all.stream().filter(ofKey::contains).toList()).as("one key's records in the order they were put").isEqualTo(ofKey);
    }
    assertThat(batches("clicks-recorder")).allSatisfy(b -> assertThat(b.getValue()).hasSizeBetween(1, 5));

    Matcher m = RECORD.matcher(Functions.logText(server, "clicks-recorder"));
    int seen = 0;
    while (m.find()) {
      seen++;
      String data = m.group(4);
      assertThat(m.group(1)).matches("shardId-00000000000[01]:" + sequenceOf.get(data));
      assertThat(m.group(2)).isEqualTo(sequenceOf.get(data));
      assertThat(m.group(3)).isEqualTo(data.substring(0, data.lastIndexOf('-')));
      assertThat(Long.parseLong(m.group(5))).isEqualTo(server.clock().millis());
      assertThat(List.of(m.group(6), m.group(7), m.group(8), m.group(9), m.group(10), m.group(11), m.group(12)))
          .containsExactly("1.0", "aws:kinesis", "1.0", "aws:kinesis:record", Functions.ROLE, "us-east-1", arn);
    }
    assertThat(seen).isEqualTo(24);
    var got = lambda().getEventSourceMapping(b -> b.uuid(created.uuid()));
    assertThat(got.state()).isEqualTo("Enabled");
    assertThat(got.lastProcessingResult()).isEqualTo("OK");
  }

  @Test
  void latestSkipsWhatCameBeforeAndAtTimestampStartsAtItsTime() {
    String latest = stream("latest", 1);
    String timed = stream("timed", 1);
    function("position-recorder", Map.of());
    put("latest", "k", "before-mapping");
    put("timed", "k", "too-early");
    server.advance(Duration.ofSeconds(60));
    Instant from = Instant.ofEpochMilli(server.clock().millis());
    put("timed", "k", "on-time");
    String latestUuid = lambda().createEventSourceMapping(b -> b.functionName("position-recorder").eventSourceArn(latest)
        .startingPosition(EventSourcePosition.LATEST)).uuid();
    var timedMapping = lambda().createEventSourceMapping(b -> b.functionName("position-recorder").eventSourceArn(timed)
        .startingPosition(EventSourcePosition.AT_TIMESTAMP).startingPositionTimestamp(from));
    assertThat(timedMapping.startingPositionTimestamp()).isEqualTo(from);
    awaitEnabled(latestUuid);
    put("latest", "k", "after-mapping");
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered("position-recorder").containsAll(List.of("after-mapping", "on-time")));
    assertThat(delivered("position-recorder")).containsExactlyInAnyOrder("after-mapping", "on-time");
  }

  @Test
  void aBatchingWindowGathersRecordsUpToTheBatchSize() {
    String arn = stream("window", 1);
    function("window-recorder", Map.of());
    String uuid = lambda().createEventSourceMapping(b -> b.functionName("window-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).batchSize(6).maximumBatchingWindowInSeconds(3)).uuid();
    awaitEnabled(uuid);
    for (int i = 0; i < 9; i++) put("window", "k", "w" + i);
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered("window-recorder").size() >= 9);
    // Six records fill the first batch before its 3 s window ends; the other three wait out the next window together.
    assertThat(batches("window-recorder")).extracting(Map.Entry::getValue)
        .containsExactly(List.of("w0", "w1", "w2", "w3", "w4", "w5"), List.of("w6", "w7", "w8"));
  }

  @Test
  void aFailingBatchIsBisectedAndThePoisonRecordEndsInTheOnFailureQueue() {
    String dlq = mappedWithFailureQueue("bisect", Map.of(), b -> b.batchSize(4).bisectBatchOnFunctionError(true).maximumRetryAttempts(1));
    String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/bisect";
    putAll("bisect", "k", List.of("a", "b", "poison", "c"));
    String poisonSeq = kinesis().getRecords(b -> b.shardIterator(kinesis().getShardIterator(i -> i.streamName("bisect")
        .shardId("shardId-000000000000").shardIteratorType("TRIM_HORIZON")).shardIterator())).records().get(2).sequenceNumber();
    JsonObject failure = failureRecords(dlq, 1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered("bisect-fn").contains("c"));
    // The batch fails, its halves run one after the other; the poison record alone fails twice (MaximumRetryAttempts 1).
    assertThat(batches("bisect-fn")).extracting(Map.Entry::getValue).containsExactly(List.of("a", "b", "poison", "c"),
        List.of("a", "b"), List.of("poison", "c"), List.of("poison"), List.of("poison"), List.of("c"));
    // The record of the Lambda developer guide ("Example Amazon SNS and Amazon SQS invocation record").
    assertThat(failure.fieldNames()).containsExactlyInAnyOrder("requestContext", "responseContext", "version", "timestamp",
        "KinesisBatchInfo");
    assertThat(failure.getString("version")).isEqualTo("1.0");
    assertThat(failure.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    JsonObject request = failure.getJsonObject("requestContext");
    assertThat(request.getString("requestId")).matches("[0-9a-f-]{36}");
    assertThat(request.getString("functionArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:bisect-fn");
    assertThat(request.getString("condition")).isEqualTo("RetryAttemptsExhausted");
    assertThat(request.getInteger("approximateInvokeCount")).isEqualTo(2);
    assertThat(failure.getJsonObject("responseContext")).isEqualTo(new JsonObject().put("statusCode", 200)
        .put("executedVersion", "$LATEST").put("functionError", "Unhandled"));
    String arrival = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(server.clock().millis()));
    assertThat(failure.getJsonObject("KinesisBatchInfo")).isEqualTo(new JsonObject().put("shardId", "shardId-000000000000")
        .put("startSequenceNumber", poisonSeq).put("endSequenceNumber", poisonSeq)
        .put("approximateArrivalOfFirstRecord", arrival).put("approximateArrivalOfLastRecord", arrival)
        .put("batchSize", 1).put("streamArn", arn));
  }

  @Test
  void aFailedBatchBlocksItsShardUntilItsRetriesAreExhausted() {
    String dlq = mappedWithFailureQueue("blocking", Map.of(), b -> b.batchSize(2).maximumRetryAttempts(2));
    putAll("blocking", "k", List.of("x", "poison", "after"));
    JsonObject failure = failureRecords(dlq, 1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered("blocking-fn").contains("after"));
    assertThat(batches("blocking-fn")).extracting(Map.Entry::getValue).containsExactly(List.of("x", "poison"),
        List.of("x", "poison"), List.of("x", "poison"), List.of("after"));
    assertThat(failure.getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(3);
    assertThat(failure.getJsonObject("KinesisBatchInfo").getInteger("batchSize")).isEqualTo(2);
  }

  @Test
  void recordsOlderThanTheMaximumAgeAreDiscardedOnTheServersClock() {
    String dlq = mappedWithFailureQueue("aging", Map.of(), b -> b.maximumRecordAgeInSeconds(60));
    put("aging", "k", "poison-forever");
    // Retried without end (MaximumRetryAttempts -1) while the record is young enough.
    await().atMost(Duration.ofSeconds(60)).until(() -> batches("aging-fn").size() >= 3);
    server.advance(Duration.ofSeconds(61));
    JsonObject failure = failureRecords(dlq, 1).get(0);
    assertThat(failure.getJsonObject("requestContext").getString("condition")).isEqualTo("RecordAgeExceeded");
    assertThat(failure.getJsonObject("KinesisBatchInfo").getInteger("batchSize")).isEqualTo(1);
    put("aging", "k", "fresh");
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered("aging-fn").contains("fresh"));
  }

  @Test
  void reportedItemFailuresResumeFromTheLowestFailedSequenceNumber() {
    String dlq = mappedWithFailureQueue("partial", Map.of("ON_POISON", "report"), b -> b.batchSize(5).maximumRetryAttempts(1)
        .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
    putAll("partial", "k", List.of("r1", "r2", "poison3", "r4", "poison5"));
    putAll("partial", "k", List.of("r6"));
    JsonObject failure = failureRecords(dlq, 1).get(0);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered("partial-fn").contains("r6"));
    assertThat(batches("partial-fn")).extracting(Map.Entry::getValue).containsExactly(
        List.of("r1", "r2", "poison3", "r4", "poison5"), List.of("poison3", "r4", "poison5"), List.of("r6"));
    assertThat(failure.getJsonObject("KinesisBatchInfo").getInteger("batchSize")).isEqualTo(3);
    assertThat(failure.getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(2);
    assertThat(failure.getJsonObject("responseContext").containsKey("functionError")).isFalse();
  }

  @Test
  void parallelizationKeepsEachPartitionKeysOrder() {
    String arn = stream("parallel", 1);
    function("parallel-recorder", Map.of());
    lambda().createEventSourceMapping(b -> b.functionName("parallel-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(3).parallelizationFactor(4));
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String key = "key" + (i % 8);
      entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(key + "-" + i)).build());
    }
    kinesis().putRecords(b -> b.streamName("parallel").records(entries));
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered("parallel-recorder").size() >= 40);
    List<String> all = delivered("parallel-recorder");
    assertThat(all).hasSize(40);
    for (int k = 0; k < 8; k++) {
      String key = "key" + k;
      List<String> expected = new ArrayList<>();
      for (int i = k; i < 40; i += 8) expected.add(key + "-" + i);
      assertThat(all.stream().filter(d -> d.startsWith(key + "-")).toList()).isEqualTo(expected);
    }
    assertThat(batches("parallel-recorder")).allSatisfy(b -> {
      assertThat(b.getValue()).hasSizeBetween(1, 3);
      assertThat(b.getValue().stream().map(d -> Math.floorMod(d.substring(0, d.indexOf('-')).hashCode(), 4)).distinct()).hasSize(1);
    });
  }

  @Test
  void updateListAndDeleteShowTheStreamMembers() {
    String arn = stream("managed", 1);
    function("managed-recorder", Map.of());
    String uuid = lambda().createEventSourceMapping(b -> b.functionName("managed-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST)).uuid();
    assertThat(lambda().getEventSourceMapping(b -> b.uuid(uuid)).batchSize()).isEqualTo(100);
    var updated = lambda().updateEventSourceMapping(b -> b.uuid(uuid).batchSize(50).maximumRetryAttempts(3)
        .maximumRecordAgeInSeconds(3600).bisectBatchOnFunctionError(true).parallelizationFactor(2)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sns:us-east-1:000000000000:failures"))));
    assertThat(updated.state()).isEqualTo("Updating");
    assertThat(updated.batchSize()).isEqualTo(50);
    assertThat(updated.maximumRetryAttempts()).isEqualTo(3);
    assertThat(updated.maximumRecordAgeInSeconds()).isEqualTo(3600);
    assertThat(updated.bisectBatchOnFunctionError()).isTrue();
    assertThat(updated.parallelizationFactor()).isEqualTo(2);
    assertThat(updated.startingPositionAsString()).isEqualTo("LATEST");
    assertThat(updated.destinationConfig().onFailure().destination()).isEqualTo("arn:aws:sns:us-east-1:000000000000:failures");
    assertThat(lambda().listEventSourceMappings(b -> b.eventSourceArn(arn)).eventSourceMappings())
        .singleElement().satisfies(m -> {
          assertThat(m.uuid()).isEqualTo(uuid);
          assertThat(m.batchSize()).isEqualTo(50);
          assertThat(m.lastProcessingResult()).isEqualTo("No records processed");
        });
    assertThat(lambda().deleteEventSourceMapping(b -> b.uuid(uuid)).state()).isEqualTo("Deleting");
    assertThatThrownBy(() -> lambda().getEventSourceMapping(b -> b.uuid(uuid))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badInputIsRefusedAsLambdaRefusesIt() {
    String arn = stream("strict", 1);
    function("strict-recorder", Map.of());
    // Messages as recorded against AWS (LocalStack's test_api snapshot) where there is a recording.
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)),
        InvalidParameterValueException.class,
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition("0")), LambdaException.class, "1 validation error detected: Value '0' at 'startingPosition' failed to "
        + "satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).startingPositionTimestamp(Instant.ofEpochSecond(1_000_000))),
        InvalidParameterValueException.class, "Timestamp only valid with StartingPosition AT_TIMESTAMP");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder")
        .eventSourceArn("arn:aws:kinesis:us-east-1:000000000000:stream/missing").startingPosition(EventSourcePosition.LATEST)),
        InvalidParameterValueException.class, "Stream not found: arn:aws:kinesis:us-east-1:000000000000:stream/missing");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).batchSize(10_001)), LambdaException.class,
        "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less "
            + "than or equal to 10000");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).parallelizationFactor(11)), LambdaException.class,
        "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value "
            + "less than or equal to 10");
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).maximumRetryAttempts(-2)), LambdaException.class,
        "1 validation error detected: Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value "
            + "greater than or equal to -1");
    assertThatThrownBy(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).maximumRecordAgeInSeconds(30)))
        .isInstanceOf(InvalidParameterValueException.class);
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST)
        .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:sqs:us-east-1:000000000000:q")))),
        InvalidParameterValueException.class, "Unsupported DestinationConfig parameter for given event source mapping type.");
    // Not built: refused rather than ignored (Eventplane's own messages).
    assertThatThrownBy(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).filterCriteria(f -> f.filters(
            software.amazon.awssdk.services.lambda.model.Filter.builder().pattern("{\"data\":{\"a\":[1]}}").build()))))
        .isInstanceOf(InvalidParameterValueException.class);
    String uuid = lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST)).uuid();
    assertError(() -> lambda().createEventSourceMapping(b -> b.functionName("strict-recorder").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON)), ResourceConflictException.class,
        "The event source arn (\" " + arn + " \") and function (\" strict-recorder \") provided mapping already exists. Please "
            + "update or delete the existing mapping with UUID " + uuid);
  }

  private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<? extends LambdaException> type,
      String message) {
    assertThatThrownBy(call).isInstanceOf(type).satisfies(e -> {
      LambdaException l = (LambdaException) e;
      assertThat(l.statusCode()).isEqualTo(type == ResourceConflictException.class ? 409 : 400);
      assertThat(l.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }
}
