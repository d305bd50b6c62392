package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * PutEvents and what targets receive. The envelope's shape and PutEvents' per-entry answers are
 * those recorded against AWS in LocalStack's test_events.snapshot.json (TestEvents).
 */
class EventDeliveryTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aRuleWithTwoTargetsDeliversTheEnvelopeToAQueueAndThroughATopic() {
    String direct = sqs().createQueue(b -> b.queueName("direct")).queueUrl();
    String viaTopic = sqs().createQueue(b -> b.queueName("via-topic")).queueUrl();
    String topic = server.sns().createTopic(b -> b.name("events-topic")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(viaTopic)));
    events().putRule(b -> b.name("orders").eventPattern("{\"source\":[\"shop.orders\"]}"));
    events().putTargets(b -> b.rule("orders").targets(
        Target.builder().id("queue").arn(queueArn(direct)).build(),
        Target.builder().id("topic").arn(topic).build()));

    PutEventsResponse put = events().putEvents(b -> b.entries(
        PutEventsRequestEntry.builder().source("shop.orders").detailType("Order Placed").detail("{\"id\": 7}")
            .resources("arn:aws:shop:order/7").build()));
    assertThat(put.failedEntryCount()).isZero();
    String id = put.entries().get(0).eventId();
    assertThat(id).isNotBlank();

    JsonObject envelope = new JsonObject(receive(direct, 1).get(0).body());
    assertThat(envelope.fieldNames()).containsExactly("version", "id", "detail-type", "source", "account", "time",
        "region", "resources", "detail");
    assertThat(envelope.getString("version")).isEqualTo("0");
    assertThat(envelope.getString("id")).isEqualTo(id);
    assertThat(envelope.getString("detail-type")).isEqualTo("Order Placed");
    assertThat(envelope.getString("source")).isEqualTo("shop.orders");
    assertThat(envelope.getString("account")).isEqualTo("000000000000");
    assertThat(envelope.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(envelope.getString("region")).isEqualTo("us-east-1");
    assertThat(envelope.getJsonArray("resources").getList()).containsExactly("arn:aws:shop:order/7");
    assertThat(envelope.getJsonObject("detail")).isEqualTo(new JsonObject().put("id", 7));

    JsonObject snsEnvelope = new JsonObject(receive(viaTopic, 1).get(0).body());
    assertThat(snsEnvelope.getString("TopicArn")).isEqualTo(topic);
    assertThat(new JsonObject(snsEnvelope.getString("Message"))).isEqualTo(envelope);
  }

  @Test
  void aFifoQueueTargetGetsTheTargetsMessageGroup() {
    String fifo = sqs().createQueue(b -> b.queueName("events.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .queueUrl();
    events().putRule(b -> b.name("fifo-rule").eventPattern("{\"source\":[\"fifo.app\"]}"));
    events().putTargets(b -> b.rule("fifo-rule").targets(Target.builder().id("fifo").arn(queueArn(fifo))
        .sqsParameters(s -> s.messageGroupId("group-1")).build()));
    for (int i = 0; i < 3; i++) {
      String detail = "{\"n\":" + i + "}";
      assertThat(events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("fifo.app").detailType("t")
          .detail(detail).build())).failedEntryCount()).isZero();
    }
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(fifo).maxNumberOfMessages(10)
          .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages()) {
        got.add(m);
        sqs().deleteMessage(b -> b.queueUrl(fifo).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= 3;
    });
    assertThat(got).allSatisfy(m -> assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("group-1"));
    assertThat(got).extracting(m -> new JsonObject(m.body()).getJsonObject("detail").getInteger("n")).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void patternsAcrossManyRulesRouteEachEventToExactlyItsRules() {
    String even = sqs().createQueue(b -> b.queueName("even")).queueUrl();
    String big = sqs().createQueue(b -> b.queueName("big")).queueUrl();
    String prefixed = sqs().createQueue(b -> b.queueName("prefixed")).queueUrl();
    events().createEventBus(b -> b.name("many"));
    // 40 rules that never match, beside the three that do: matching is one pass of the bus's machine.
    for (int i = 0; i < 40; i++) {
      String name = "noise-" + i;
      String pattern = "{\"source\":[\"noise-" + i + "\"]}";
      events().putRule(b -> b.name(name).eventBusName("many").eventPattern(pattern));
      events().putTargets(b -> b.rule(name).eventBusName("many").targets(Target.builder().id("q").arn(queueArn(even)).build()));
    }
    rule("many", "even", "{\"detail\":{\"n\":[0,2,4,6,8]}}", even);
    rule("many", "big", "{\"detail\":{\"n\":[{\"numeric\":[\">=\",7]}]}}", big);
    rule("many", "prefixed", "{\"source\":[{\"prefix\":\"app.\"}],\"detail-type\":[{\"anything-but\":\"skip\"}]}", prefixed);
    rule("many", "disabled", "{\"detail\":{\"n\":[1]}}", big);
    events().disableRule(b -> b.name("disabled").eventBusName("many"));

    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      entries.add(PutEventsRequestEntry.builder().eventBusName("many").source(n < 5 ? "app.one" : "other")
          .detailType(n == 0 ? "skip" : "t").detail("{\"n\":" + n + "}").build());
    }
    assertThat(events().putEvents(b -> b.entries(entries)).failedEntryCount()).isZero();
    assertThat(numbers(receive(even, 5))).containsExactlyInAnyOrder(0, 2, 4, 6, 8);
    assertThat(numbers(receive(big, 3))).containsExactlyInAnyOrder(7, 8, 9);
    assertThat(numbers(receive(prefixed, 4))).containsExactlyInAnyOrder(1, 2, 3, 4);
    // Nothing more arrives (no duplicates, the disabled rule matched nothing).
    assertThat(sqs().receiveMessage(b -> b.queueUrl(big).waitTimeSeconds(1)).messages()).isEmpty();
    assertThat(sqs().receiveMessage(b -> b.queueUrl(even).waitTimeSeconds(1)).messages()).isEmpty();
  }

  /** bus-a and bus-d hash to partitions 19 and 28: with two lanes (or nodes) the entries are split between owners. */
  @Test
  void putEventsAnswersEachEntryInOrderAcrossBuses() {
    String q1 = sqs().createQueue(b -> b.queueName("bus-a-q")).queueUrl();
    String q2 = sqs().createQueue(b -> b.queueName("bus-d-q")).queueUrl();
    String arnA = events().createEventBus(b -> b.name("bus-a")).eventBusArn();
    events().createEventBus(b -> b.name("bus-d"));
    rule("bus-a", "all-a", "{\"source\":[\"s\"]}", q1);
    rule("bus-d", "all-d", "{\"source\":[\"s\"]}", q2);

    PutEventsResponse r = events().putEvents(b -> b.entries(
        PutEventsRequestEntry.builder().eventBusName(arnA).source("s").detailType("t").detail("{\"to\":\"a\"}").build(),
        PutEventsRequestEntry.builder().detailType("t").detail("{}").build(),
        PutEventsRequestEntry.builder().eventBusName("bus-d").source("s").detailType("t").detail("{\"to\":\"b\"}").build(),
        PutEventsRequestEntry.builder().source("s").detail("{}").build(),
        PutEventsRequestEntry.builder().source("s").detailType("t").build(),
        PutEventsRequestEntry.builder().source("s").detailType("t").detail("\"a string\"").build(),
        PutEventsRequestEntry.builder().source("s").detailType("t").detail("[1]").build(),
        PutEventsRequestEntry.builder().source("s").detailType("t").detail("{not json").build(),
        // A bus that does not exist takes the event (the recording got an EventId for it).
        PutEventsRequestEntry.builder().eventBusName("no-such-bus").source("s").detailType("t").detail("{}").build()));
    assertThat(r.failedEntryCount()).isEqualTo(6);
    List<PutEventsResultEntry> e = r.entries();
    assertThat(e).hasSize(9);
    assertThat(e.get(0).eventId()).isNotBlank();
    assertThat(e.get(1)).isEqualTo(failure("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."));
    assertThat(e.get(2).eventId()).isNotBlank();
    assertThat(e.get(3)).isEqualTo(failure("InvalidArgument",
        "Parameter DetailType is not valid. Reason: DetailType is a required argument."));
    assertThat(e.get(4)).isEqualTo(failure("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."));
    for (int i = 5; i < 8; i++) assertThat(e.get(i)).isEqualTo(failure("MalformedDetail", "Detail is malformed."));
    assertThat(e.get(8).eventId()).isNotBlank();

    assertThat(new JsonObject(receive(q1, 1).get(0).body()).getString("id")).isEqualTo(e.get(0).eventId());
    assertThat(new JsonObject(receive(q2, 1).get(0).body()).getString("id")).isEqualTo(e.get(2).eventId());
  }

  @Test
  void putEventsRequestLimits() {
    String detail = "{\"d\":\"" + "x".repeat(256 * 1024) + "\"}";
    assertThatThrownBy(() -> events().putEvents(b -> b.entries(
        PutEventsRequestEntry.builder().source("s").detailType("t").detail(detail).build())))
        .satisfies(x -> assertError(x, "ValidationException", 400, "Total size of the entries in the request is over the limit."));
    List<PutEventsRequestEntry> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) eleven.add(PutEventsRequestEntry.builder().source("s").detailType("t").detail("{}").build());
    assertThatThrownBy(() -> events().putEvents(b -> b.entries(eleven)))
        .satisfies(x -> {
          assertThat(((software.amazon.awssdk.services.eventbridge.model.EventBridgeException) x).awsErrorDetails().errorCode())
              .isEqualTo("ValidationException");
          assertThat(x.getMessage()).contains("at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
              .contains("PutEventsRequestEntry(time=null, source=s, resources=null, detailType=t, detail={}");
        });
  }

  @Test
  void theTimeOfAnEntryIsTheEnvelopesTime() {
    String q = sqs().createQueue(b -> b.queueName("timed")).queueUrl();
    rule("default", "timed", "{\"source\":[\"timed\"]}", q);
    events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("timed").detailType("t").detail("{}")
        .time(java.time.Instant.parse("2022-01-02T03:04:05.678Z")).build()));
    assertThat(new JsonObject(receive(q, 1).get(0).body()).getString("time")).isEqualTo("2022-01-02T03:04:05Z");
  }

  @Test
  void aBusTargetPutsTheEventOnTheOtherBus() {
    String q = sqs().createQueue(b -> b.queueName("second-bus-q")).queueUrl();
    String second = events().createEventBus(b -> b.name("second")).eventBusArn();
    events().putRule(b -> b.name("forward").eventPattern("{\"source\":[\"fwd\"]}"));
    events().putTargets(b -> b.rule("forward").targets(Target.builder().id("bus").arn(second).build()));
    rule("second", "land", "{\"source\":[\"fwd\"]}", q);
    events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("fwd").detailType("hop").detail("{\"k\":1}").build()));
    JsonObject got = new JsonObject(receive(q, 1).get(0).body());
    assertThat(got.getString("source")).isEqualTo("fwd");
    assertThat(got.getString("detail-type")).isEqualTo("hop");
    assertThat(got.getJsonObject("detail")).isEqualTo(new JsonObject().put("k", 1));
  }

  @Test
  void aBusOfAnotherAccountSeesTheSendersAccount() {
    // The other account's client: a twelve-digit access key id is the account.
    try (EventBridgeClient other = EventBridgeClient.builder().endpointOverride(server.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("111111111111", "test")))
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build()) {
      String q = sqs().createQueue(b -> b.queueName("cross-account-q")).queueUrl();
      String theirs = other.createEventBus(b -> b.name("theirs")).eventBusArn();
      assertThat(theirs).isEqualTo("arn:aws:events:us-east-1:111111111111:event-bus/theirs");
      other.putRule(b -> b.name("arrivals").eventBusName("theirs").eventPattern("{\"source\":[\"x.acct\"]}"));
      other.putTargets(b -> b.rule("arrivals").eventBusName("theirs").targets(Target.builder().id("q").arn(queueArn(q)).build()));
      events().putRule(b -> b.name("to-other-account").eventPattern("{\"source\":[\"x.acct\"]}"));
      events().putTargets(b -> b.rule("to-other-account").targets(Target.builder().id("bus").arn(theirs).build()));
      events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("x.acct").detailType("t").detail("{}").build()));
      assertThat(new JsonObject(receive(q, 1).get(0).body()).getString("account")).isEqualTo("000000000000");
    }
  }

  @Test
  void aFunctionTargetIsInvokedAsynchronouslyWithTheEvent() {
    String successes = sqs().createQueue(b -> b.queueName("fn-successes")).queueUrl();
    String function = io.eventplane.server.lambda.Functions.create(server.lambda(), "event-target",
        io.eventplane.server.lambda.Functions.DIAGNOSTICS).functionArn();
    server.lambda().putFunctionEventInvokeConfig(b -> b.functionName("event-target")
        .destinationConfig(d -> d.onSuccess(o -> o.destination(queueArn(successes)))));
    events().putRule(b -> b.name("to-function").eventPattern("{\"source\":[\"fn.app\"]}"));
    events().putTargets(b -> b.rule("to-function").targets(Target.builder().id("fn").arn(function).build()));
    String id = events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("fn.app").detailType("t")
        .detail("{\"k\":\"v\"}").build())).entries().get(0).eventId();
    JsonObject record = new JsonObject(receive(successes, 1, Duration.ofSeconds(60)).get(0).body());
    JsonObject payload = record.getJsonObject("requestPayload");
    assertThat(payload.getString("id")).isEqualTo(id);
    assertThat(payload.getString("source")).isEqualTo("fn.app");
    assertThat(payload.getJsonObject("detail")).isEqualTo(new JsonObject().put("k", "v"));
  }

  @Test
  void targetsReceiveWhatTheirInputInputPathOrTransformerMakesOfTheEvent() {
    String whole = sqs().createQueue(b -> b.queueName("shape-whole")).queueUrl();
    String constant = sqs().createQueue(b -> b.queueName("shape-constant")).queueUrl();
    String path = sqs().createQueue(b -> b.queueName("shape-path")).queueUrl();
    String transformed = sqs().createQueue(b -> b.queueName("shape-transformed")).queueUrl();
    events().putRule(b -> b.name("shapes").eventPattern("{\"source\":[\"shop.shapes\"]}"));
    events().putTargets(b -> b.rule("shapes").targets(
        Target.builder().id("whole").arn(queueArn(whole)).build(),
        Target.builder().id("constant").arn(queueArn(constant)).input("{\"fixed\": true}").build(),
        Target.builder().id("path").arn(queueArn(path)).inputPath("$.detail").build(),
        Target.builder().id("transformed").arn(queueArn(transformed)).inputTransformer(t -> t
            .inputPathsMap(Map.of("id", "$.detail.id", "src", "$.source"))
            .inputTemplate("{\"order\": <id>, \"from\": \"<src>\", \"rule\": \"<aws.events.rule-name>\"}")).build()));
    assertThat(events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("shop.shapes").detailType("Shaped")
        .detail("{\"id\": 7, \"items\": [1, 2]}").build())).failedEntryCount()).isZero();

    assertThat(new JsonObject(receive(whole, 1).get(0).body()).getString("detail-type")).isEqualTo("Shaped");
    assertThat(receive(constant, 1).get(0).body()).isEqualTo("{\"fixed\": true}");
    assertThat(new JsonObject(receive(path, 1).get(0).body()))
        .isEqualTo(new JsonObject().put("id", 7).put("items", new io.vertx.core.json.JsonArray().add(1).add(2)));
    assertThat(new JsonObject(receive(transformed, 1).get(0).body()))
        .isEqualTo(new JsonObject().put("order", 7).put("from", "shop.shapes").put("rule", "shapes"));
  }

  @Test
  void targetInputsAndScheduleExpressionsAreCheckedWhenPut() {
    events().putRule(b -> b.name("checked").eventPattern("{\"source\":[\"x\"]}"));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("checked").targets(
        Target.builder().id("bad").arn("arn:aws:sqs:us-east-1:000000000000:q").input("not json").build())))
        .satisfies(t -> assertError(t, "ValidationException", 400, "Input for target bad is not a valid JSON text."));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("checked").targets(
        Target.builder().id("undefined").arn("arn:aws:sqs:us-east-1:000000000000:q")
            .inputTransformer(t -> t.inputPathsMap(Map.of("a", "$.detail.a")).inputTemplate("\"<b>\"")).build())))
        .satisfies(t -> assertError(t, "ValidationException", 400, "InputTemplate for target undefined contains invalid placeholder b."));
    assertThat(events().listTargetsByRule(b -> b.rule("checked")).targets()).isEmpty();
    assertThatThrownBy(() -> events().putRule(b -> b.name("every").scheduleExpression("rate(5 minute)")))
        .satisfies(t -> assertError(t, "ValidationException", 400, "Parameter ScheduleExpression is not valid."));
    events().putRule(b -> b.name("every").scheduleExpression("cron(0/15 8-17 ? * MON-FRI *)"));
    assertThat(events().describeRule(b -> b.name("every")).scheduleExpression()).isEqualTo("cron(0/15 8-17 ? * MON-FRI *)");
  }

  private void rule(String bus, String name, String pattern, String queueUrl) {
    events().putRule(b -> b.name(name).eventBusName(bus).eventPattern(pattern));
    events().putTargets(b -> b.rule(name).eventBusName(bus).targets(Target.builder().id("q").arn(queueArn(queueUrl)).build()));
  }

  private static PutEventsResultEntry failure(String code, String message) {
    return PutEventsResultEntry.builder().errorCode(code).errorMessage(message).build();
  }

  private static List<Integer> numbers(List<Message> messages) {
    return messages.stream().map(m -> new JsonObject(m.body()).getJsonObject("detail").getInteger("n")).toList();
  }

  String queueArn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  List<Message> receive(String url, int expected) {
    return receive(url, expected, Duration.ofSeconds(20));
  }

  List<Message> receive(String url, int expected, Duration within) {
    List<Message> got = new ArrayList<>();
    await().atMost(within).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All")).messages()) {
        got.add(m);
        sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= expected;
    });
    return got;
  }
}
