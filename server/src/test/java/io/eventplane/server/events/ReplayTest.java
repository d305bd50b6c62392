package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.CancelReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Replay;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * StartReplay, DescribeReplay, ListReplays and CancelReplay. Shapes, the envelope's
 * {@code replay-name} and the refusals are those recorded against AWS in LocalStack's
 * test_archive_and_replay.snapshot.json (TestReplay).
 */
class ReplayTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aReplaySendsTheWindowsArchivedEventsAgainInTimeOrderWithReplayName() {
    String bus = events().createEventBus(b -> b.name("replay-bus")).eventBusArn();
    String queue = sqs().createQueue(b -> b.queueName("replayed")).queueUrl();
    String ruleArn = events().putRule(b -> b.name("to-queue").eventBusName("replay-bus").eventPattern("{\"source\":[\"shop\"]}"))
        .ruleArn();
    events().putTargets(b -> b.rule("to-queue").eventBusName("replay-bus").targets(Target.builder().id("q").arn(queueArn(queue)).build()));
    String archive = events().createArchive(b -> b.archiveName("replay-archive").eventSourceArn(bus)).archiveArn();
    // Put out of time order: the replay sends them by event time.
    events().putEvents(b -> b.entries(event("replay-bus", 2, T0.plusSeconds(10)), event("replay-bus", 1, T0.plusSeconds(5)),
        event("replay-bus", 3, T0.plusSeconds(30))));
    List<Message> originals = receive(queue, 3);
    assertThat(originals).allSatisfy(m -> assertThat(new JsonObject(m.body()).containsKey("replay-name")).isFalse());

    StartReplayResponse started = events().startReplay(b -> b.replayName("window").eventSourceArn(archive)
        .description("description of the replay").eventStartTime(T0).eventEndTime(T0.plusSeconds(20))
        .destination(d -> d.arn(bus)));
    assertThat(started.replayArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:replay/window");
    assertThat(started.state()).isEqualTo(ReplayState.STARTING);
    assertThat(started.replayStartTime()).isNotNull();

    await().atMost(Duration.ofSeconds(20)).until(() -> events().describeReplay(b -> b.replayName("window")).state() == ReplayState.COMPLETED);
    List<Message> replayed = receive(queue, 2);
    assertThat(replayed).hasSize(2);
    for (Message m : replayed) {
      JsonObject e = new JsonObject(m.body());
      assertThat(e.fieldNames()).containsExactly("version", "id", "detail-type", "source", "account", "time", "region",
          "replay-name", "resources", "detail");
      assertThat(e.getString("replay-name")).isEqualTo("window");
    }
    assertThat(replayed.stream().map(m -> new JsonObject(m.body()).getJsonObject("detail").getInteger("n")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(1, 2);
    Set<String> originalIds = originals.stream().map(m -> new JsonObject(m.body()).getString("id")).collect(Collectors.toSet());
    assertThat(originalIds).containsAll(replayed.stream().map(m -> new JsonObject(m.body()).getString("id")).toList());
    assertThat(sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages()).isEmpty();

    DescribeReplayResponse d = events().describeReplay(b -> b.replayName("window"));
    assertThat(d.replayName()).isEqualTo("window");
    assertThat(d.replayArn()).isEqualTo(started.replayArn());
    assertThat(d.description()).isEqualTo("description of the replay");
    assertThat(d.eventSourceArn()).isEqualTo(archive);
    assertThat(d.destination().arn()).isEqualTo(bus);
    assertThat(d.destination().hasFilterArns()).isFalse();
    assertThat(d.eventStartTime()).isEqualTo(T0);
    assertThat(d.eventEndTime()).isEqualTo(T0.plusSeconds(20));
    // The last event replayed is the latest of the window: the events went in time order.
    assertThat(d.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(10));
    assertThat(d.replayStartTime()).isEqualTo(started.replayStartTime());
    assertThat(d.replayEndTime()).isNotNull();

    List<Replay> listed = events().listReplays(b -> b.namePrefix("win")).replays();
    assertThat(listed).containsExactly(Replay.builder().replayName("window").eventSourceArn(archive).state(ReplayState.COMPLETED)
        .eventStartTime(T0).eventEndTime(T0.plusSeconds(20)).eventLastReplayedTime(T0.plusSeconds(10))
        .replayStartTime(d.replayStartTime()).replayEndTime(d.replayEndTime()).build());
    assertThat(events().listReplays(b -> b.eventSourceArn(archive).state(ReplayState.COMPLETED)).replays()).hasSize(1);
    assertThat(events().listReplays(b -> b.state(ReplayState.RUNNING)).replays()).isEmpty();
    assertThat(ruleArn).isNotNull();
  }

  @Test
  void filterArnsLimitTheReplayToThoseRules() {
    String bus = events().createEventBus(b -> b.name("filter-bus")).eventBusArn();
    String a = sqs().createQueue(b -> b.queueName("filter-a")).queueUrl();
    String c = sqs().createQueue(b -> b.queueName("filter-b")).queueUrl();
    String ruleA = events().putRule(b -> b.name("rule-a").eventBusName("filter-bus").eventPattern("{\"source\":[\"shop\"]}")).ruleArn();
    events().putRule(b -> b.name("rule-b").eventBusName("filter-bus").eventPattern("{\"source\":[\"shop\"]}"));
    events().putTargets(b -> b.rule("rule-a").eventBusName("filter-bus").targets(Target.builder().id("a").arn(queueArn(a)).build()));
    events().putTargets(b -> b.rule("rule-b").eventBusName("filter-bus").targets(Target.builder().id("b").arn(queueArn(c)).build()));
    String archive = events().createArchive(b -> b.archiveName("filter-archive").eventSourceArn(bus)).archiveArn();
    events().putEvents(b -> b.entries(event("filter-bus", 1, T0.plusSeconds(1)), event("filter-bus", 2, T0.plusSeconds(2))));
    receive(a, 2);
    receive(c, 2);

    events().startReplay(b -> b.replayName("only-a").eventSourceArn(archive).eventStartTime(T0).eventEndTime(T0.plusSeconds(60))
        .destination(d -> d.arn(bus).filterArns(ruleA)));
    await().atMost(Duration.ofSeconds(20)).until(() -> events().describeReplay(b -> b.replayName("only-a")).state() == ReplayState.COMPLETED);
    assertThat(receive(a, 2)).allSatisfy(m -> assertThat(new JsonObject(m.body()).getString("replay-name")).isEqualTo("only-a"));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(c).waitTimeSeconds(1)).messages()).isEmpty();
    assertThat(events().describeReplay(b -> b.replayName("only-a")).destination().filterArns()).containsExactly(ruleA);
  }

  @Test
  void cancelReplayStopsItBetweenPages() {
    String bus = events().createEventBus(b -> b.name("cancel-bus")).eventBusArn();
    String archive = events().createArchive(b -> b.archiveName("cancel-archive").eventSourceArn(bus)).archiveArn();
    for (int i = 0; i < 25; i++) {
      int base = i * 10;
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < 10; j++) entries.add(event("cancel-bus", base + j, T0.plusSeconds(base + j)));
      events().putEvents(b -> b.entries(entries));
    }
    System.setProperty("eventplane.events.replayPagePauseMillis", "2000");
    try {
      events().startReplay(b -> b.replayName("to-cancel").eventSourceArn(archive).eventStartTime(T0)
          .eventEndTime(T0.plusSeconds(1000)).destination(d -> d.arn(bus)));
      // Running: its first page is written and the next one waits out the pause.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
          .until(() -> events().describeReplay(b -> b.replayName("to-cancel")).eventLastReplayedTime() != null);
      DescribeReplayResponse running = events().describeReplay(b -> b.replayName("to-cancel"));
      assertThat(running.state()).isEqualTo(ReplayState.RUNNING);
      assertThat(running.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(99));
      assertThat(running.replayEndTime()).isNull();
      CancelReplayResponse cancelled = events().cancelReplay(b -> b.replayName("to-cancel"));
      assertThat(cancelled.replayArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:replay/to-cancel");
      assertThat(cancelled.state()).isEqualTo(ReplayState.CANCELLING);
      await().atMost(Duration.ofSeconds(20)).until(() -> events().describeReplay(b -> b.replayName("to-cancel")).state() == ReplayState.CANCELLED);
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
    }
    DescribeReplayResponse d = events().describeReplay(b -> b.replayName("to-cancel"));
    assertThat(d.replayEndTime()).isNotNull();
    // It stopped after its first page of three.
    assertThat(d.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(99));
    assertThatThrownBy(() -> events().cancelReplay(b -> b.replayName("to-cancel")))
        .satisfies(e -> assertError(e, "IllegalStatusException", 400, "Replay to-cancel is not in a valid state for this operation."));
  }

  /** Each refusal: the call, then AWS's code and message (all 400). */
  @Test
  void refusalsAreAwsErrors() {
    String bus = events().createEventBus(b -> b.name("refusing-bus")).eventBusArn();
    String otherBus = events().createEventBus(b -> b.name("other-bus")).eventBusArn();
    String archive = events().createArchive(b -> b.archiveName("refusing-archive").eventSourceArn(bus)).archiveArn();
    events().startReplay(b -> b.replayName("done").eventSourceArn(archive).eventStartTime(T0).eventEndTime(T0.plusSeconds(1))
        .destination(d -> d.arn(bus)));
    String missingArchive = "arn:aws:events:us-east-1:000000000000:archive/no-such-archive";
    record Refusal(Executable call, String code, String message) {}
    List<Refusal> table = List.of(
        new Refusal(() -> events().startReplay(b -> b.replayName("r").eventSourceArn(archive).eventStartTime(T0)
            .eventEndTime(T0).destination(d -> d.arn(bus))),
            "ValidationException", "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."),
        new Refusal(() -> events().startReplay(b -> b.replayName("r").eventSourceArn(archive).eventStartTime(T0.plusSeconds(10))
            .eventEndTime(T0).destination(d -> d.arn(bus))),
            "ValidationException", "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."),
        new Refusal(() -> events().startReplay(b -> b.replayName("r").eventSourceArn(missingArchive).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(bus))),
            "ValidationException", "Parameter EventSourceArn is not valid. Reason: Archive no-such-archive does not exist."),
        new Refusal(() -> events().startReplay(b -> b.replayName("r").eventSourceArn(archive).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn("arn:aws:events:us-east-1:000000000000:event-bus/gone"))),
            "ResourceNotFoundException", "Event bus gone does not exist."),
        new Refusal(() -> events().startReplay(b -> b.replayName("r").eventSourceArn(archive).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(otherBus))),
            "ValidationException", "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted."),
        new Refusal(() -> events().startReplay(b -> b.replayName("done").eventSourceArn(archive).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(1)).destination(d -> d.arn(bus))),
            "ResourceAlreadyExistsException", "Replay done already exists."),
        new Refusal(() -> events().describeReplay(b -> b.replayName("never-ran")),
            "ResourceNotFoundException", "Replay never-ran does not exist."),
        new Refusal(() -> events().cancelReplay(b -> b.replayName("never-ran")),
            "ResourceNotFoundException", "Replay never-ran does not exist."));
    for (Refusal r : table) {
      assertThatThrownBy(r.call()::execute).as(r.message()).satisfies(e -> assertError(e, r.code(), 400, r.message()));
    }
  }

  static PutEventsRequestEntry event(String bus, int n, Instant time) {
    return PutEventsRequestEntry.builder().eventBusName(bus).source("shop").detailType("Order").detail("{\"n\":" + n + "}")
        .time(time).build();
  }

  String queueArn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  List<Message> receive(String url, int expected) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
        got.add(m);
        sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= expected;
    });
    return got;
  }
}
