package io.eventplane.eventbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LocalPartitionWriter;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries by the target's RetryPolicy on the service's clock, then the dead-letter queue with the
 * attributes EventBridge adds; the attempt count and next attempt survive a restart. The target
 * is a channel that fails with a server-side error (none of the real targets can be made to do
 * that on purpose); the dead-letter queue is whatever answers SendMessage at the SQS address.
 */
class RetriesTest {
  private static final BusRef BUS = new BusRef("000000000000", "us-east-1", "default");
  private static final String FLAKY = "arn:aws:test:us-east-1:000000000000:flaky";
  private static final String DLQ = "arn:aws:sqs:us-east-1:000000000000:dlq";

  @TempDir Path dir;
  private Vertx vertx;
  private Store store;
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<JsonObject> deadLetters = new CopyOnWriteArrayList<>();
  private Context context;
  private Buses buses;
  private Deliveries deliveries;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    vertx.eventBus().<ApiRequest>localConsumer(Contracts.SQS, m -> {
      deadLetters.add(m.body().input());
      m.reply(ApiReply.ok(new JsonObject().put("MessageId", "m")));
    });
    store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(EventStore.COLUMN_FAMILY));
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    if (deliveries != null) {
      on(() -> {
        deliveries.clear();
        return Future.succeededFuture();
      });
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
  }

  /** A lane's state on its context, loaded from the store as a lane that acquires the partition loads it. */
  private void lane() {
    on(() -> {
      buses = new Buses(vertx, context, new EventStore(store, new LocalPartitionWriter(store)));
      TargetChannel flaky = new TargetChannel() {
        @Override
        public boolean serves(String arn) {
          return arn.equals(FLAKY);
        }

        @Override
        public Future<Outcome> deliver(Target target, String input, String eventId) {
          attempts.incrementAndGet();
          return Future.succeededFuture(Outcome.serverError("THROTTLING", "slow down"));
        }
      };
      deliveries = new Deliveries(vertx, context, buses, clock, new RetrySchedule(n -> 0), List.of(flaky));
      return buses.load(BUS.partition()).map(snapshot -> {
        Map<Long, List<EventStore.PendingDelivery>> bySeq = new HashMap<>();
        for (EventStore.PendingDelivery d : snapshot.deliveries()) bySeq.computeIfAbsent(d.seq(), s -> new ArrayList<>()).add(d);
        bySeq.forEach((seq, ds) -> deliveries.add(BUS.partition(), snapshot.events().get(seq), ds));
        return null;
      });
    });
  }

  /** A rule with the flaky target and an accepted event for it, written as PutEvents writes them. */
  private void acceptEvent(JsonObject retryPolicy) {
    on(() -> {
      JsonObject wire = new JsonObject().put("Id", "flaky").put("Arn", FLAKY).put("RetryPolicy", retryPolicy)
          .put("DeadLetterConfig", new JsonObject().put("Arn", DLQ));
      Rule rule = new Rule(BUS, "r", "{\"source\":[\"s\"]}", null, Rule.ENABLED, null, null, "000000000000", Map.of(),
          Map.of("flaky", Target.of(wire)));
      EventStore es = buses.store();
      int p = BUS.partition();
      long seq = buses.nextSequence(p);
      StoredEvent event = new StoredEvent(seq, BUS, "event-1", "{\"id\":\"event-1\"}", clock.millis());
      Batch b = es.batch();
      es.putBus(b, new EventBus(BUS, null, clock.millis(), clock.millis(), Map.of()));
      es.putRule(b, rule);
      es.putEvent(b, p, event);
      es.putDelivery(b, p, seq, rule.arn(), "flaky", 0, 0);
      buses.put(new EventBus(BUS, null, clock.millis(), clock.millis(), Map.of()));
      buses.putRule(rule);
      return buses.commit(p, b).map(v -> {
        deliveries.add(p, event, List.of(new EventStore.PendingDelivery(seq, rule.arn(), "flaky", 0, 0)));
        return null;
      });
    });
  }

  @Test
  void retriesWaitForTheServiceClockThenGoToTheDeadLetterQueueWithEventBridgesAttributes() throws Exception {
    lane();
    acceptEvent(new JsonObject().put("MaximumRetryAttempts", 2));
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    // The retry is due a second later by the service's clock; real time alone does not bring it.
    await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    assertThat(storedAttempts()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 2);
    clock.advance(Duration.ofSeconds(4));
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.size() == 1);
    JsonObject dl = deadLetters.get(0);
    assertThat(dl.getString("QueueUrl")).endsWith("/000000000000/dlq");
    assertThat(dl.getString("MessageBody")).isEqualTo("{\"id\":\"event-1\"}");
    JsonObject attrs = dl.getJsonObject("MessageAttributes");
    assertThat(attrs.fieldNames()).containsExactlyInAnyOrder("RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE",
        "EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS");
    assertThat(attrs.getJsonObject("RULE_ARN").getString("StringValue")).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/r");
    assertThat(attrs.getJsonObject("TARGET_ARN").getString("StringValue")).isEqualTo(FLAKY);
    assertThat(attrs.getJsonObject("ERROR_CODE").getString("StringValue")).isEqualTo("THROTTLING");
    assertThat(attrs.getJsonObject("ERROR_MESSAGE").getString("StringValue")).isEqualTo("slow down");
    assertThat(attrs.getJsonObject("EXHAUSTED_RETRY_CONDITION").getString("StringValue")).isEqualTo("MaximumRetryAttemptsExhausted");
    assertThat(attrs.getJsonObject("RETRY_ATTEMPTS").getString("StringValue")).isEqualTo("2");
    // Finished: the outbox is empty.
    await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().deliveries().isEmpty() && snapshot().events().isEmpty());
  }

  @Test
  void theRecorderSeesEachFailedAttemptTheRetryPendingAndTheDeadLetterMove() {
    lane();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger deadLettered = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    on(() -> {
      deliveries.setMetrics(new RuleMetrics() {
        @Override
        public void matched(Rule rule) {}

        @Override
        public void delivered(Rule rule, Target target) {
          delivered.incrementAndGet();
        }

        @Override
        public void failed(Rule rule, Target target) {
          failed.incrementAndGet();
        }

        @Override
        public void deadLettered(Rule rule, Target target) {
          deadLettered.incrementAndGet();
        }
      });
      return Future.succeededFuture();
    });
    acceptEvent(new JsonObject().put("MaximumRetryAttempts", 1));
    await().atMost(Duration.ofSeconds(5)).until(() -> failed.get() == 1);
    String key = Deliveries.targetKey("arn:aws:events:us-east-1:000000000000:rule/r", "flaky");
    await().atMost(Duration.ofSeconds(5)).until(() -> on(() -> Future.succeededFuture(deliveries.retriesPending()))
        .equals(Map.of(key, 1)));

    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> deadLettered.get() == 1);
    assertThat(failed.get()).isEqualTo(2);
    assertThat(delivered.get()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> on(() -> Future.succeededFuture(deliveries.retriesPending())).isEmpty());
  }

  @Test
  void anEventOlderThanItsMaximumAgeGoesToTheDeadLetterQueueWithoutAnotherAttempt() {
    lane();
    acceptEvent(new JsonObject().put("MaximumEventAgeInSeconds", 60));
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    clock.advance(Duration.ofMinutes(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.size() == 1);
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(deadLetters.get(0).getJsonObject("MessageAttributes").getJsonObject("EXHAUSTED_RETRY_CONDITION")
        .getString("StringValue")).isEqualTo("MaximumEventAgeExhausted");
  }

  @Test
  void theAttemptCountSurvivesARestart() {
    lane();
    acceptEvent(new JsonObject().put("MaximumRetryAttempts", 1));
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1 && storedAttempts() == 1);
    // The lane goes away (as in a restart) and a new one loads the partition.
    on(() -> {
      deliveries.clear();
      return Future.succeededFuture();
    });
    lane();
    clock.advance(Duration.ofSeconds(2));
    // One more attempt is all the policy allows after the stored one: then the dead-letter queue.
    await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.size() == 1);
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(deadLetters.get(0).getJsonObject("MessageAttributes").getJsonObject("RETRY_ATTEMPTS").getString("StringValue"))
        .isEqualTo("1");
  }

  @Test
  void theBackOffDoublesWithJitterUpToItsCap() {
    RetrySchedule lowest = new RetrySchedule(n -> 0);
    RetrySchedule highest = new RetrySchedule(n -> n - 1);
    assertThat(lowest.delayMillis(1)).isEqualTo(500);
    assertThat(highest.delayMillis(1)).isEqualTo(1_000);
    assertThat(lowest.delayMillis(4)).isEqualTo(4_000);
    assertThat(highest.delayMillis(4)).isEqualTo(8_000);
    assertThat(highest.delayMillis(100)).isEqualTo(RetrySchedule.CAP_SECONDS * 1000);
    assertThat(lowest.delayMillis(100)).isEqualTo(RetrySchedule.CAP_SECONDS * 500);
  }

  private int storedAttempts() {
    List<EventStore.PendingDelivery> ds = snapshot().deliveries();
    return ds.isEmpty() ? -1 : ds.get(0).attempts();
  }

  private EventStore.Snapshot snapshot() {
    return new EventStore(store, new LocalPartitionWriter(store)).load(BUS.partition());
  }

  private <T> T on(Supplier<Future<T>> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(ar -> {
          if (ar.succeeded()) done.complete(ar.result());
          else done.completeExceptionally(ar.cause());
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
