package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL of a server that is accepting PutEvents and running a replay, {@code --durability fsync}.
 * After the restart on the same data directory every event a PutEvents acknowledged before the kill
 * reaches its rule's queue (the outbox), and the replay, caught after its first page of three
 * (paced by {@code eventplane.events.replayPagePauseMillis}), resumes from its stored progress and
 * completes: every archived event of its window reaches the rule's queue with its
 * {@code replay-name}, at least once, and EventLastReplayedTime never moves backwards, not even
 * across the kill.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EventBridgeKillNineProcessIT {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** Three pages of the replay ({@code Replays.PAGE} is 100). */
  private static final int ARCHIVED = 300;
  private static final List<String> PACED = List.of("-Deventplane.events.replayPagePauseMillis=2000");
  private static final String BUS = "replay-bus";
  private static final String REPLAYED_QUEUE = "replayed";
  private static final String LIVE_QUEUE = "eb-target";

  private KillNineHarness harness;
  /** Event ids PutEvents acknowledged during the load (the rule sends each to {@value #LIVE_QUEUE}). */
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-eb-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  @Test
  void acknowledgedEventsArriveAndARunningReplayResumesAfterKillNine() throws Exception {
    ServerProcess first = harness.start("first.log", PACED, List.of());
    SqsClient sqs = harness.sqs(first);
    EventBridgeClient setup = harness.events(first, true);
    // The replay's bus: a rule to a queue and an archive of everything.
    String bus = setup.createEventBus(b -> b.name(BUS)).eventBusArn();
    String replayedUrl = sqs.createQueue(b -> b.queueName(REPLAYED_QUEUE)).queueUrl();
    setup.putRule(b -> b.name("orders").eventBusName(BUS).eventPattern("{\"source\":[\"shop\"]}"));
    setup.putTargets(b -> b.rule("orders").eventBusName(BUS).targets(Target.builder().id("q").arn(arn(sqs, replayedUrl)).build()));
    String archive = setup.createArchive(b -> b.archiveName("all-orders").eventSourceArn(bus)).archiveArn();
    Set<String> archived = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < ARCHIVED; i += 10) {
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < i + 10; j++) {
        entries.add(PutEventsRequestEntry.builder().eventBusName(BUS).source("shop").detailType("Order")
            .detail("{\"n\":" + j + "}").time(T0.plusSeconds(j)).build());
      }
      PutEventsResponse r = setup.putEvents(b -> b.entries(entries));
      assertThat(r.failedEntryCount()).isZero();
      r.entries().forEach(e -> archived.add(e.eventId()));
    }
    // The events' first delivery, before any replay: out of the queue, so that what comes later is replayed.
    KillNineHarness.awaitArrivals(sqs, replayedUrl, archived, m -> new JsonObject(m.body()).getString("id"),
        Duration.ofSeconds(60), true, "first deliveries of the archived events");
    assertThat(archived).hasSize(ARCHIVED);

    // The live load: PutEvents on the default bus, a rule to another queue.
    String liveUrl = sqs.createQueue(b -> b.queueName(LIVE_QUEUE)).queueUrl();
    setup.putRule(b -> b.name("durable-rule").eventPattern("{\"source\":[\"durable.app\"]}"));
    setup.putTargets(b -> b.rule("durable-rule").targets(Target.builder().id("q").arn(arn(sqs, liveUrl)).build()));
    Set<String> attempted = ConcurrentHashMap.newKeySet();
    EventBridgeClient load = harness.events(first, false);
    harness.load(1, (thread, n) -> {
      String detail = "{\"n\":" + n + "}";
      PutEventsResponse r = load.putEvents(b -> b.entries(
          PutEventsRequestEntry.builder().source("durable.app").detailType("t").detail(detail).build(),
          PutEventsRequestEntry.builder().source("durable.app").detailType("t").detail(detail).build()));
      for (PutEventsResultEntry e : r.entries()) if (e.eventId() != null) acknowledged.add(e.eventId());
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> acknowledged.size() >= 20);

    setup.startReplay(b -> b.replayName("across-kill").eventSourceArn(archive).eventStartTime(T0)
        .eventEndTime(T0.plusSeconds(1000)).destination(d -> d.arn(bus)));
    // Caught mid-way: its first page is written and the next one waits out the pause.
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> setup.describeReplay(b -> b.replayName("across-kill")).eventLastReplayedTime() != null);
    DescribeReplayResponse before = setup.describeReplay(b -> b.replayName("across-kill"));
    harness.killDuringLoad(first);
    assertThat(before.state()).as("the replay at the kill").isEqualTo(ReplayState.RUNNING);
    assertThat(before.eventLastReplayedTime()).as("the replay's progress at the kill: not at its end")
        .isBefore(T0.plusSeconds(ARCHIVED - 1));
    assertThat(acknowledged).as("PutEvents acknowledged before the kill").isNotEmpty();

    ServerProcess second = harness.start("second.log", PACED, List.of());
    EventBridgeClient events = harness.events(second, true);
    SqsClient after = harness.sqs(second);
    // Every progress the replay shows, from the one seen before the kill on, in the order seen.
    List<Instant> shown = new ArrayList<>(List.of(before.eventLastReplayedTime()));
    Awaitility.await("the replay completes").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      DescribeReplayResponse d = events.describeReplay(b -> b.replayName("across-kill"));
      if (d.eventLastReplayedTime() != null) shown.add(d.eventLastReplayedTime());
      else shown.add(Instant.EPOCH);
      return d.state() == ReplayState.COMPLETED;
    });
    assertThat(shown).as("EventLastReplayedTime as DescribeReplay showed it, before the kill and after").isSorted();
    DescribeReplayResponse done = events.describeReplay(b -> b.replayName("across-kill"));
    assertThat(done.eventLastReplayedTime()).isEqualTo(T0.plusSeconds(ARCHIVED - 1));
    assertThat(done.replayEndTime()).isNotNull();

    String replayedAfter = after.getQueueUrl(b -> b.queueName(REPLAYED_QUEUE)).queueUrl();
    Set<String> replayed = KillNineHarness.awaitArrivals(after, replayedAfter, archived, m -> {
      JsonObject e = new JsonObject(m.body());
      // Without replay-name: a first delivery sent again (at least once, if its end was not durable at the kill).
      if (!e.containsKey("replay-name")) return null;
      assertThat(e.getString("replay-name")).as("a replayed event names its replay").isEqualTo("across-kill");
      return e.getString("id");
    }, Duration.ofSeconds(60), true, "archived events of the replay's window");
    KillNineHarness.assertNothingUnknown(replayed, archived, "replayed events");

    String liveAfter = after.getQueueUrl(b -> b.queueName(LIVE_QUEUE)).queueUrl();
    KillNineHarness.awaitArrivals(after, liveAfter, acknowledged, m -> new JsonObject(m.body()).getString("id"),
        Duration.ofSeconds(60), false, "events PutEvents acknowledged");
    System.out.printf("EventBridge kill -9 with the replay at %s of %s and %d acknowledged events: "
        + "the replay completed, all %d archived events replayed, all acknowledged events delivered%n",
        before.eventLastReplayedTime(), T0.plusSeconds(ARCHIVED - 1), acknowledged.size(), ARCHIVED);
  }

  private static String arn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }
}
