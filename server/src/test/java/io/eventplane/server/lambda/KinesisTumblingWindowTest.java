package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * TumblingWindowInSeconds on stream mappings, as the Lambda developer guide describes it ("Time
 * windows"): windows aligned on the records' arrival times, the event's window members as
 * {@code aws-lambda-java-events}' KinesisTimeWindowEvent reads them ({@code examples/WindowCounter}),
 * the state carried from one invocation to the next and across a restart, the final invocation once
 * the window has ended on the service clock, early termination past 1 MB of state, failures, and the
 * API's limits.
 */
class KinesisTumblingWindowTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String COUNTER = "io.eventplane.examples.WindowCounter::handleRequest";
  private static final Pattern WINDOW = Pattern.compile("WINDOW (\\S+) start=(\\S+) end=(\\S+) final=(\\S+) early=(\\S+) "
      + "arn=(\\S+) state=(\\d+):(-?\\d+) records=(.*)");
  private static final long MINUTE = 60_000;

  /** One invocation as WindowCounter logged it: the state it was given ({@code count:sum}) and the records' data. */
  record Invocation(String shard, String start, String end, String isFinal, String early, String arn, String state,
      List<String> records) {}

  private static List<Invocation> parse(String logText) {
    List<Invocation> out = new ArrayList<>();
    Matcher m = WINDOW.matcher(logText);
    while (m.find()) {
      out.add(new Invocation(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6),
          m.group(7) + ":" + m.group(8), m.group(9).isEmpty() ? List.of() : List.of(m.group(9).split(","))));
    }
    return out;
  }

  private static List<Invocation> invocations(String function) {
    return parse(Functions.logText(server, function));
  }

  private static List<Invocation> finals(List<Invocation> all) {
    return all.stream().filter(i -> i.isFinal().equals("true")).toList();
  }

  private static void put(KinesisClient kinesis, String stream, String... data) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (String d : data) entries.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String(d)).build());
    kinesis.putRecords(b -> b.streamName(stream).records(entries));
  }

  /** A one-shard stream {@code name}, WindowCounter as {@code <name>-fn} (with {@code env}); the stream's ARN. */
  private static String streamAndCounter(String name, Map<String, String> env) {
    server.kinesis().createStream(b -> b.streamName(name).shardCount(1));
    Functions.create(server.lambda(), name + "-fn", COUNTER, 10, env);
    return server.kinesis().describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private static <T> T until(Supplier<T> read, java.util.function.Predicate<T> done) {
    List<T> last = new ArrayList<>(List.of());
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      T value = read.get();
      last.clear();
      last.add(value);
      return done.test(value);
    });
    return last.get(0);
  }

  @Test
  void aWindowCarriesItsStateAndEndsWithAFinalInvocation() {
    String arn = streamAndCounter("tally", Map.of());
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    CreateEventSourceMappingResponse created = server.lambda().createEventSourceMapping(b -> b.functionName("tally-fn")
        .eventSourceArn(arn).startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(2).tumblingWindowInSeconds(60));
    assertThat(created.tumblingWindowInSeconds()).isEqualTo(60);
    assertThat(server.lambda().getEventSourceMapping(b -> b.uuid(created.uuid())).tumblingWindowInSeconds()).isEqualTo(60);
    assertThat(server.lambda().listEventSourceMappings(b -> b.eventSourceArn(arn)).eventSourceMappings().get(0)
        .tumblingWindowInSeconds()).isEqualTo(60);

    put(server.kinesis(), "tally", "1", "2", "3");
    List<Invocation> first = until(() -> invocations("tally-fn"), l -> l.size() >= 2);
    String shard = "shardId-000000000000";
    // The event's window members as KinesisTimeWindowEvent reads them; the state starts as {} and carries on.
    assertThat(first).containsExactly(
        new Invocation(shard, iso(start), iso(start + MINUTE), "false", "false", arn, "0:0", List.of("1", "2")),
        new Invocation(shard, iso(start), iso(start + MINUTE), "false", "false", arn, "2:3", List.of("3")));
    // The window has not ended on the service clock: no final invocation yet.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> finals(invocations("tally-fn")).isEmpty());

    server.advance(Duration.ofMillis(start + MINUTE - server.clock().millis()));
    List<Invocation> closed = until(() -> invocations("tally-fn"), l -> !finals(l).isEmpty());
    assertThat(finals(closed)).containsExactly(
        new Invocation(shard, iso(start), iso(start + MINUTE), "true", "false", arn, "3:6", List.of()));

    // The next window starts with a fresh state.
    put(server.kinesis(), "tally", "10");
    List<Invocation> next = until(() -> invocations("tally-fn"), l -> l.size() >= 4);
    assertThat(next.get(3)).isEqualTo(
        new Invocation(shard, iso(start + MINUTE), iso(start + 2 * MINUTE), "false", "false", arn, "0:0", List.of("10")));
  }

  @Test
  void aRecordOfALaterWindowClosesTheOpenOneFirst() {
    String arn = streamAndCounter("later", Map.of());
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    put(server.kinesis(), "later", "4", "5");
    server.advance(Duration.ofMillis(start + MINUTE - server.clock().millis()));
    put(server.kinesis(), "later", "6");
    // Mapped after both windows' records are in the stream: one read sees them all.
    server.lambda().createEventSourceMapping(b -> b.functionName("later-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).tumblingWindowInSeconds(60));
    List<Invocation> all = until(() -> invocations("later-fn"), l -> l.size() >= 3);
    assertThat(all.subList(0, 3)).extracting(Invocation::start, Invocation::isFinal, Invocation::state, Invocation::records)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(iso(start), "false", "0:0", List.of("4", "5")),
            org.assertj.core.groups.Tuple.tuple(iso(start), "true", "2:9", List.of()),
            org.assertj.core.groups.Tuple.tuple(iso(start + MINUTE), "false", "0:0", List.of("6")));
  }

  @Test
  void aFailedFinalInvocationIsRetriedBeforeTheShardGoesOn() throws Exception {
    Path marker = Files.createTempDirectory("eventplane-window").resolve("failed-once");
    String arn = streamAndCounter("retried", Map.of("FAIL_FINAL_ONCE", marker.toString()));
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    server.lambda().createEventSourceMapping(b -> b.functionName("retried-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).tumblingWindowInSeconds(60));
    put(server.kinesis(), "retried", "7");
    until(() -> invocations("retried-fn"), l -> l.size() >= 1);
    server.advance(Duration.ofMillis(start + MINUTE - server.clock().millis()));
    put(server.kinesis(), "retried", "8");
    List<Invocation> all = until(() -> invocations("retried-fn"), l -> l.size() >= 4);
    assertThat(Files.exists(marker)).isTrue();
    Files.delete(marker);
    Files.delete(marker.getParent());
    // The final invocation failed once and came again with the same state; only then the next window's record.
    assertThat(all).extracting(Invocation::start, Invocation::isFinal, Invocation::state, Invocation::records).containsExactly(
        org.assertj.core.groups.Tuple.tuple(iso(start), "false", "0:0", List.of("7")),
        org.assertj.core.groups.Tuple.tuple(iso(start), "true", "1:7", List.of()),
        org.assertj.core.groups.Tuple.tuple(iso(start), "true", "1:7", List.of()),
        org.assertj.core.groups.Tuple.tuple(iso(start + MINUTE), "false", "0:0", List.of("8")));
  }

  @Test
  void aStateOverOneMegabyteTerminatesTheWindowEarly() {
    String arn = streamAndCounter("bulky", Map.of("PAD_BYTES", "1100000"));
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    server.lambda().createEventSourceMapping(b -> b.functionName("bulky-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).tumblingWindowInSeconds(60));
    put(server.kinesis(), "bulky", "1", "big", "2");
    List<Invocation> all = until(() -> invocations("bulky-fn"), l -> l.size() >= 4);
    // The state that grew past 1 MB goes to a final invocation marked terminated early; the window goes on afresh.
    assertThat(all).extracting(Invocation::start, Invocation::isFinal, Invocation::early, Invocation::state, Invocation::records)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(iso(start), "false", "false", "0:0", List.of("1")),
            org.assertj.core.groups.Tuple.tuple(iso(start), "false", "false", "1:1", List.of("big")),
            org.assertj.core.groups.Tuple.tuple(iso(start), "true", "true", "2:1", List.of()),
            org.assertj.core.groups.Tuple.tuple(iso(start), "false", "false", "0:0", List.of("2")));
  }

  @Test
  void failedBatchesAreRetriedWithTheStateTheyWereGiven() {
    String arn = streamAndCounter("failing", Map.of());
    String url = server.sqs().createQueue(b -> b.queueName("failing-failures")).queueUrl();
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    server.lambda().createEventSourceMapping(b -> b.functionName("failing-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(1).maximumRetryAttempts(1).tumblingWindowInSeconds(60)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:failing-failures"))));
    put(server.kinesis(), "failing", "5", "poison", "6");
    List<Invocation> all = until(() -> invocations("failing-fn"), l -> l.size() >= 2);
    // The poison batch fails twice (one retry), then is discarded to the destination; the state is the one before it.
    List<JsonObject> records = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (Message m : server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()) {
        records.add(new JsonObject(m.body()));
      }
      return !records.isEmpty();
    });
    assertThat(records.get(0).getJsonObject("requestContext").getString("condition")).isEqualTo("RetryAttemptsExhausted");
    assertThat(records.get(0).getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(2);
    all = until(() -> invocations("failing-fn"), l -> l.stream().anyMatch(i -> i.records().equals(List.of("6"))));
    assertThat(all).extracting(Invocation::start, Invocation::state, Invocation::records).containsExactly(
        org.assertj.core.groups.Tuple.tuple(iso(start), "0:0", List.of("5")),
        org.assertj.core.groups.Tuple.tuple(iso(start), "1:5", List.of("6")));
  }

  @Test
  void reportedItemFailuresKeepTheAnswersStateAndRetryFromTheFailedRecord() {
    String arn = streamAndCounter("partial", Map.of("ON_POISON", "report"));
    long start = Math.floorDiv(server.clock().millis(), MINUTE) * MINUTE;
    server.lambda().createEventSourceMapping(b -> b.functionName("partial-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(3).maximumRetryAttempts(1).tumblingWindowInSeconds(60)
        .functionResponseTypes(software.amazon.awssdk.services.lambda.model.FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
    put(server.kinesis(), "partial", "5", "poison", "6");
    put(server.kinesis(), "partial", "7");
    // "5" is done with the state the answer carried; the retry starts at the reported record with that state,
    // and once the retries are spent the window goes on with it.
    List<Invocation> all = until(() -> invocations("partial-fn"), l -> l.stream().anyMatch(i -> i.records().contains("7")));
    assertThat(all).extracting(Invocation::start, Invocation::state, Invocation::records).containsExactly(
        org.assertj.core.groups.Tuple.tuple(iso(start), "0:0", List.of("5")),
        org.assertj.core.groups.Tuple.tuple(iso(start), "1:5", List.of()),
        org.assertj.core.groups.Tuple.tuple(iso(start), "1:5", List.of("7")));
  }

  @Test
  void anAnswerWithoutStateIsAFailedInvocation() {
    server.kinesis().createStream(b -> b.streamName("stateless").shardCount(1));
    String arn = server.kinesis().describeStreamSummary(b -> b.streamName("stateless")).streamDescriptionSummary().streamARN();
    String url = server.sqs().createQueue(b -> b.queueName("stateless-failures")).queueUrl();
    // StreamRecorder answers a StreamsEventResponse: batchItemFailures but no state.
    Functions.create(server.lambda(), "stateless-fn", "io.eventplane.examples.StreamRecorder::handleRequest", 10, Map.of());
    server.lambda().createEventSourceMapping(b -> b.functionName("stateless-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(0).tumblingWindowInSeconds(60)
        .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:stateless-failures"))));
    put(server.kinesis(), "stateless", "a");
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      got.addAll(server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages());
      return !got.isEmpty();
    });
    JsonObject record = new JsonObject(got.get(0).body());
    assertThat(record.getJsonObject("requestContext").getString("condition")).isEqualTo("RetryAttemptsExhausted");
    assertThat(record.getJsonObject("KinesisBatchInfo").getInteger("batchSize")).isEqualTo(1);
    assertThat(record.getJsonObject("responseContext").containsKey("functionError")).isFalse();
  }

  @Test
  void limitsAndSourcesAreCheckedAsLambdaChecksThem() throws Exception {
    server.kinesis().createStream(b -> b.streamName("strict").shardCount(1));
    String arn = server.kinesis().describeStreamSummary(b -> b.streamName("strict")).streamDescriptionSummary().streamARN();
    Functions.create(server.lambda(), "strict-fn", COUNTER, 10, Map.of());
    LambdaClient lambda = server.lambda();
    // The model's constraint (0 to 900), worded as Lambda's validation errors are.
    assertError(() -> lambda.createEventSourceMapping(b -> b.functionName("strict-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).tumblingWindowInSeconds(-1)), LambdaException.class,
        "1 validation error detected: Value '-1' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have "
            + "value greater than or equal to 0");
    assertError(() -> lambda.createEventSourceMapping(b -> b.functionName("strict-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).tumblingWindowInSeconds(901)), LambdaException.class,
        "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have "
            + "value less than or equal to 900");
    HttpResponse<String> wrongType = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            server.endpoint().resolve("/2015-03-31/event-source-mappings/"))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("FunctionName", "strict-fn").put("EventSourceArn", arn)
            .put("StartingPosition", "LATEST").put("TumblingWindowInSeconds", "sixty").encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestContentException");

    // 0 turns windows off; an update turns them on and off.
    String uuid = lambda.createEventSourceMapping(b -> b.functionName("strict-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.LATEST).tumblingWindowInSeconds(0)).uuid();
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).tumblingWindowInSeconds()).isZero();
    assertThat(lambda.updateEventSourceMapping(b -> b.uuid(uuid).tumblingWindowInSeconds(900)).tumblingWindowInSeconds())
        .isEqualTo(900);
    assertThat(lambda.updateEventSourceMapping(b -> b.uuid(uuid).batchSize(5)).tumblingWindowInSeconds()).isEqualTo(900);
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).tumblingWindowInSeconds()).isEqualTo(900);
    assertThat(lambda.updateEventSourceMapping(b -> b.uuid(uuid).tumblingWindowInSeconds(0)).tumblingWindowInSeconds()).isZero();

    // Only stream sources have windows (Lambda's wording for a member the source type does not take).
    server.sqs().createQueue(b -> b.queueName("strict-queue"));
    String queueArn = "arn:aws:sqs:us-east-1:000000000000:strict-queue";
    assertError(() -> lambda.createEventSourceMapping(b -> b.functionName("strict-fn").eventSourceArn(queueArn)
        .tumblingWindowInSeconds(60)), InvalidParameterValueException.class,
        "Unsupported 'tumblingWindowInSeconds' parameter for given event source mapping type.");
    String queueMapping = lambda.createEventSourceMapping(b -> b.functionName("strict-fn").eventSourceArn(queueArn)).uuid();
    assertThat(lambda.getEventSourceMapping(b -> b.uuid(queueMapping)).tumblingWindowInSeconds()).isNull();
    assertError(() -> lambda.updateEventSourceMapping(b -> b.uuid(queueMapping).tumblingWindowInSeconds(60)),
        InvalidParameterValueException.class, "Unsupported 'tumblingWindowInSeconds' parameter for given event source mapping type.");
  }

  @Test
  void aRestartedServerGoesOnWithTheWindowAndItsState() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-kinesis-window");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    long start = Math.floorDiv(clock.millis(), MINUTE) * MINUTE;
    try {
      EventplaneServer first = EventplaneServer.start(config, clock);
      try (KinesisMappingRestartTest.Clients c = new KinesisMappingRestartTest.Clients(first.port())) {
        c.kinesis.createStream(b -> b.streamName("kept").shardCount(1));
        String arn = c.kinesis.describeStreamSummary(b -> b.streamName("kept")).streamDescriptionSummary().streamARN();
        Functions.create(c.lambda, "kept-fn", COUNTER, 10, Map.of());
        String uuid = c.lambda.createEventSourceMapping(b -> b.functionName("kept-fn").eventSourceArn(arn)
            .startingPosition(EventSourcePosition.TRIM_HORIZON).tumblingWindowInSeconds(60)).uuid();
        put(c.kinesis, "kept", "1", "2");
        until(() -> parse(logText(c)), l -> l.size() >= 1);
        // OK once the batch's checkpoint (and with it the window's state) is durable.
        await().atMost(Duration.ofSeconds(10))
            .until(() -> c.lambda.getEventSourceMapping(b -> b.uuid(uuid)).lastProcessingResult().equals("OK"));
      } finally {
        first.close();
      }

      EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
      try (KinesisMappingRestartTest.Clients c = new KinesisMappingRestartTest.Clients(second.port())) {
        put(c.kinesis, "kept", "3");
        until(() -> parse(logText(c)), l -> l.size() >= 2);
        clock.advance(Duration.ofMillis(start + MINUTE - clock.millis()));
        List<Invocation> all = until(() -> parse(logText(c)), l -> l.size() >= 3);
        assertThat(all).extracting(Invocation::start, Invocation::isFinal, Invocation::state, Invocation::records)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(iso(start), "false", "0:0", List.of("1", "2")),
                org.assertj.core.groups.Tuple.tuple(iso(start), "false", "2:3", List.of("3")),
                org.assertj.core.groups.Tuple.tuple(iso(start), "true", "3:6", List.of()));
      } finally {
        second.close();
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String logText(KinesisMappingRestartTest.Clients c) {
    StringBuilder all = new StringBuilder();
    try {
      c.logs.filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/kept-fn")).events()
          .forEach(e -> all.append(e.message()).append('\n'));
    } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException noLogsYet) {
      return "";
    }
    return all.toString();
  }

  private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<? extends LambdaException> type,
      String message) {
    assertThatThrownBy(call).isInstanceOf(type).satisfies(e -> {
      LambdaException l = (LambdaException) e;
      assertThat(l.statusCode()).isEqualTo(400);
      assertThat(l.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }
}
