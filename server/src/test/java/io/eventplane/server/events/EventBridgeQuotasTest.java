package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.partition.Partitions;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * EventBridge's quotas (LimitExceededException) and the names unique per account and region across
 * partitions (archives, replays), with small limits set for this class (system properties read when
 * the service starts). The message of LimitExceededException is the one the targets-per-rule quota
 * answers (RuleAnswersTest); no recording of the other quotas' answers exists in LocalStack's
 * snapshots, so the same words are used for all.
 */
class EventBridgeQuotasTest {
  static final String LIMIT_MESSAGE = "The requested resource exceeds the maximum number allowed.";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** Callers racing for one name, half on each bus; rounds of the race. */
  static final int CALLERS = 6;
  static final int ROUNDS = 10;

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> {
    System.setProperty(EventBridgeLimits.BUSES, "3");
    System.setProperty(EventBridgeLimits.RULES, "2");
    System.setProperty(EventBridgeLimits.TARGETS, "2");
    System.setProperty(EventBridgeLimits.ARCHIVES, "2");
    System.setProperty(EventBridgeLimits.REPLAYS, "1");
    System.setProperty(EventBridgeLimits.API_DESTINATIONS, "2");
    return c;
  });

  private static ExecutorService pool;

  /** The server read the limits when it started; other test classes of this JVM get the defaults. */
  @BeforeAll
  static void clearLimits() {
    for (String p : List.of(EventBridgeLimits.BUSES, EventBridgeLimits.RULES, EventBridgeLimits.TARGETS,
        EventBridgeLimits.ARCHIVES, EventBridgeLimits.REPLAYS, EventBridgeLimits.API_DESTINATIONS)) {
      System.clearProperty(p);
    }
    pool = Executors.newFixedThreadPool(CALLERS);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private static void assertLimit(Throwable e) {
    assertError(e, "LimitExceededException", 400, LIMIT_MESSAGE);
  }

  @Test
  void eventBusesPerAccountReachTheQuotaAndADeleteFreesOne() {
    // The default bus exists without being created and does not count.
    events().describeEventBus(b -> b.name("default"));
    for (String name : List.of("quota-a", "quota-b", "quota-c")) events().createEventBus(b -> b.name(name));
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("quota-d"))).satisfies(EventBridgeQuotasTest::assertLimit);
    // A name that exists is still that error first.
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("quota-b")))
        .satisfies(e -> assertError(e, "ResourceAlreadyExistsException", 400, "Event bus quota-b already exists."));
    assertThat(events().listEventBuses(b -> b.namePrefix("quota-")).eventBuses()).hasSize(3);

    events().deleteEventBus(b -> b.name("quota-a"));
    events().createEventBus(b -> b.name("quota-d"));
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("quota-a"))).satisfies(EventBridgeQuotasTest::assertLimit);
    // Deleting a bus that does not exist frees nothing.
    events().deleteEventBus(b -> b.name("never-made"));
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("quota-e"))).satisfies(EventBridgeQuotasTest::assertLimit);
  }

  @Test
  void rulesPerBusReachTheQuotaWhileReplacingOneStillWorks() {
    events().createEventBus(b -> b.name("rules-bus"));
    String pattern = "{\"source\":[\"quota.test\"]}";
    events().putRule(b -> b.eventBusName("rules-bus").name("r1").eventPattern(pattern));
    events().putRule(b -> b.eventBusName("rules-bus").name("r2").eventPattern(pattern));
    assertThatThrownBy(() -> events().putRule(b -> b.eventBusName("rules-bus").name("r3").eventPattern(pattern)))
        .satisfies(EventBridgeQuotasTest::assertLimit);
    // Putting a rule that exists replaces it: no new rule, no quota.
    events().putRule(b -> b.eventBusName("rules-bus").name("r1").eventPattern(pattern).description("again"));
    // The quota is per bus: the default bus has room.
    events().putRule(b -> b.name("r3").eventPattern(pattern));
    events().deleteRule(b -> b.eventBusName("rules-bus").name("r2"));
    events().putRule(b -> b.eventBusName("rules-bus").name("r3").eventPattern(pattern));
    assertThat(events().listRules(b -> b.eventBusName("rules-bus")).rules()).hasSize(2);
  }

  @Test
  void targetsPerRuleFollowTheConfiguredQuota() {
    events().putRule(b -> b.name("targets").eventPattern("{\"source\":[\"quota.test\"]}"));
    String queue = "arn:aws:sqs:us-east-1:000000000000:q";
    events().putTargets(b -> b.rule("targets").targets(Target.builder().id("1").arn(queue).build(),
        Target.builder().id("2").arn(queue).build()));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("targets").targets(Target.builder().id("3").arn(queue).build())))
        .satisfies(EventBridgeQuotasTest::assertLimit);
    // Replacing a target that is there adds none.
    events().putTargets(b -> b.rule("targets").targets(Target.builder().id("2").arn(queue).input("{}").build()));
    events().removeTargets(b -> b.rule("targets").ids("1"));
    events().putTargets(b -> b.rule("targets").targets(Target.builder().id("3").arn(queue).build()));
  }

  /** AWS's quota is 3,000 per account and region (set to 2 here); a delete frees one. */
  @Test
  void apiDestinationsPerAccountReachTheQuotaAndADeleteFreesOne() {
    String connection = events().createConnection(b -> b.name("quota-connection")
        .authorizationType(ConnectionAuthorizationType.API_KEY)
        .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("x-api-key").apiKeyValue("k")))).connectionArn();
    for (String name : List.of("dest-1", "dest-2")) {
      events().createApiDestination(b -> b.name(name).connectionArn(connection).invocationEndpoint("https://example.com/" + name)
          .httpMethod(ApiDestinationHttpMethod.POST));
    }
    assertThatThrownBy(() -> events().createApiDestination(b -> b.name("dest-3").connectionArn(connection)
        .invocationEndpoint("https://example.com/3").httpMethod(ApiDestinationHttpMethod.POST)))
        .satisfies(EventBridgeQuotasTest::assertLimit);
    events().deleteApiDestination(b -> b.name("dest-1"));
    events().createApiDestination(b -> b.name("dest-3").connectionArn(connection).invocationEndpoint("https://example.com/3")
        .httpMethod(ApiDestinationHttpMethod.POST));
    assertThat(events().listApiDestinations(b -> { }).apiDestinations()).extracting(d -> d.name())
        .containsExactlyInAnyOrder("dest-2", "dest-3");
  }

  @Test
  void archivesPerAccountCountAcrossBusesAndADeleteFreesOne() {
    String[] buses = busesInTwoPartitions("archive-quota");
    events().createArchive(b -> b.archiveName("first").eventSourceArn(buses[0]));
    events().createArchive(b -> b.archiveName("second").eventSourceArn(buses[1]));
    assertThatThrownBy(() -> events().createArchive(b -> b.archiveName("third").eventSourceArn(buses[1])))
        .satisfies(EventBridgeQuotasTest::assertLimit);
    assertThatThrownBy(() -> events().createArchive(b -> b.archiveName("first").eventSourceArn(buses[1])))
        .satisfies(e -> assertError(e, "ResourceAlreadyExistsException", 400, "Archive first already exists."));
    events().deleteArchive(b -> b.archiveName("first"));
    events().createArchive(b -> b.archiveName("third").eventSourceArn(buses[1]));
    // The deleted name is free again, on any bus, once the quota has room.
    events().deleteArchive(b -> b.archiveName("second"));
    events().createArchive(b -> b.archiveName("first").eventSourceArn(buses[1]));
    assertThat(events().listArchives(b -> b.eventSourceArn(buses[1])).archives()).hasSize(2);
  }

  @Test
  void concurrentlyRunningReplaysReachTheQuotaAndAnEndedOneFreesIt() {
    String bus = events().createEventBus(b -> b.name("replay-quota-bus")).eventBusArn();
    String archive = events().createArchive(b -> b.archiveName("replay-quota").eventSourceArn(bus)).archiveArn();
    for (int i = 0; i < 25; i++) {
      int base = i * 10;
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < 10; j++) entries.add(ReplayTest.event("replay-quota-bus", base + j, T0.plusSeconds(base + j)));
      events().putEvents(b -> b.entries(entries));
    }
    System.setProperty("eventplane.events.replayPagePauseMillis", "2000");
    try {
      events().startReplay(b -> b.replayName("long").eventSourceArn(archive).eventStartTime(T0)
          .eventEndTime(T0.plusSeconds(1000)).destination(d -> d.arn(bus)));
      assertThatThrownBy(() -> events().startReplay(b -> b.replayName("waiting").eventSourceArn(archive).eventStartTime(T0)
          .eventEndTime(T0.plusSeconds(10)).destination(d -> d.arn(bus)))).satisfies(EventBridgeQuotasTest::assertLimit);
      events().cancelReplay(b -> b.replayName("long"));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> events().describeReplay(b -> b.replayName("long")).state() == ReplayState.CANCELLED);
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
    }
    // An ended replay keeps its name but no longer runs.
    events().startReplay(b -> b.replayName("waiting").eventSourceArn(archive).eventStartTime(T0)
        .eventEndTime(T0.plusSeconds(10)).destination(d -> d.arn(bus)));
    assertThatThrownBy(() -> events().startReplay(b -> b.replayName("long").eventSourceArn(archive).eventStartTime(T0)
        .eventEndTime(T0.plusSeconds(10)).destination(d -> d.arn(bus))))
        .satisfies(e -> assertError(e, "ResourceAlreadyExistsException", 400, "Replay long already exists."));
  }

  @Test
  void concurrentCreateArchiveWithOneNameOnBusesOfTwoPartitionsLetExactlyOneSucceed() throws Exception {
    String[] buses = busesInTwoPartitions("race-archive");
    for (int round = 0; round < ROUNDS; round++) {
      String name = "race-" + round;
      List<Runnable> calls = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        String bus = buses[i % 2];
        calls.add(() -> events().createArchive(b -> b.archiveName(name).eventSourceArn(bus)));
      }
      List<Throwable> failures = race(calls);
      assertThat(failures).as("round %d", round).hasSize(CALLERS - 1);
      for (Throwable f : failures) assertError(f, "ResourceAlreadyExistsException", 400, "Archive " + name + " already exists.");
      assertThat(events().listArchives(b -> b.namePrefix(name)).archives()).hasSize(1);
      events().deleteArchive(b -> b.archiveName(name));
    }
  }

  @Test
  void concurrentStartReplayWithOneNameOnBusesOfTwoPartitionsLetExactlyOneSucceed() throws Exception {
    String[] buses = busesInTwoPartitions("race-replay");
    String[] archives = {events().createArchive(b -> b.archiveName("race-replay-0").eventSourceArn(buses[0])).archiveArn(),
        events().createArchive(b -> b.archiveName("race-replay-1").eventSourceArn(buses[1])).archiveArn()};
    for (int round = 0; round < ROUNDS; round++) {
      String name = "replay-race-" + round;
      List<Runnable> calls = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        int side = i % 2;
        calls.add(() -> events().startReplay(b -> b.replayName(name).eventSourceArn(archives[side]).eventStartTime(T0)
            .eventEndTime(T0.plusSeconds(10)).destination(d -> d.arn(buses[side]))));
      }
      List<Throwable> failures = race(calls);
      assertThat(failures).as("round %d", round).hasSize(CALLERS - 1);
      // A loser is told the name is taken, or (while the winner runs) that one running replay is all the quota allows.
      for (Throwable f : failures) {
        EventBridgeException e = (EventBridgeException) f;
        if (e.awsErrorDetails().errorCode().equals("LimitExceededException")) {
          assertLimit(e);
        } else {
          assertError(e, "ResourceAlreadyExistsException", 400, "Replay " + name + " already exists.");
        }
      }
      assertThat(events().listReplays(b -> b.namePrefix(name)).replays()).hasSize(1);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> events().describeReplay(b -> b.replayName(name)).state() == ReplayState.COMPLETED);
    }
  }

  /** Runs the calls at once (released together); the failures, in no order. */
  private static List<Throwable> race(List<Runnable> calls) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Throwable>> runs = new ArrayList<>();
    for (Runnable r : calls) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          r.run();
          return null;
        } catch (Throwable t) {
          return t;
        }
      }, pool));
    }
    go.countDown();
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Throwable> f : runs) {
      Throwable t = f.get(60, TimeUnit.SECONDS);
      if (t != null) failures.add(t);
    }
    return failures;
  }

  /**
   * Two buses (created) whose archives and replays live apart: partitions of different parity, so on
   * different lanes of a node with two or more (the default on this two-core machine; partition p is
   * on lane p % lanes), and in the three-node run mostly on different nodes. Without the account
   * registry, one name could then be created on both (each lane checks only its own).
   */
  private String[] busesInTwoPartitions(String prefix) {
    String first = prefix + "-0";
    int p0 = Partitions.of("events", "000000000000", first);
    String second = null;
    for (int i = 1; second == null; i++) {
      String candidate = prefix + "-" + i;
      if (Partitions.of("events", "000000000000", candidate) % 2 != p0 % 2) second = candidate;
    }
    String secondName = second;
    return new String[] {events().createEventBus(b -> b.name(first)).eventBusArn(),
        events().createEventBus(b -> b.name(secondName)).eventBusArn()};
  }

}
