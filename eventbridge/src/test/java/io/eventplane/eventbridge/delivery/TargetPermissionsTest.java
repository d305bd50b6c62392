package io.eventplane.eventbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
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
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule's SQS target judged by its queue's policy ({@code --auth iam}): a refusal is a failed
 * invocation sent at once to the dead-letter queue as NO_PERMISSIONS (when the dead-letter queue lets
 * the rule in too), a policy that could not be read is retried like a server-side failure.
 */
class TargetPermissionsTest {
  private static final BusRef BUS = new BusRef("000000000000", "us-east-1", "default");
  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:orders";
  private static final String DLQ = "arn:aws:sqs:us-east-1:000000000000:dlq";
  private static final String RULE = "arn:aws:events:us-east-1:000000000000:rule/r";

  @TempDir Path dir;
  private Vertx vertx;
  private Store store;
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  /** SendMessage inputs the SQS service got. */
  private final List<JsonObject> sent = new CopyOnWriteArrayList<>();
  private final List<Delivery> asked = new CopyOnWriteArrayList<>();
  private final Queue<Verdict> targetVerdicts = new ConcurrentLinkedQueue<>();
  private volatile Verdict deadLetterVerdict = Verdict.ALLOWED;
  private Context context;
  private Buses buses;
  private Deliveries deliveries;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    vertx.eventBus().<ApiRequest>localConsumer(Contracts.SQS, m -> {
      sent.add(m.body().input());
      m.reply(ApiReply.ok(new JsonObject().put("MessageId", "m")));
    });
    store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(EventStore.COLUMN_FAMILY));
    context = vertx.getOrCreateContext();
    DeliveryAuthorization judge = new DeliveryAuthorization() {
      @Override
      public Future<Verdict> authorize(Delivery d) {
        asked.add(d);
        if (d.destinationArn().equals(DLQ)) return Future.succeededFuture(deadLetterVerdict);
        Verdict next = targetVerdicts.poll();
        return Future.succeededFuture(next == null ? Verdict.ALLOWED : next);
      }

      @Override
      public boolean judges() {
        return true;
      }
    };
    on(() -> {
      buses = new Buses(vertx, context, new EventStore(store, new LocalPartitionWriter(store)));
      deliveries = new Deliveries(vertx, context, buses, clock, new RetrySchedule(n -> 0), new TargetPermissions(judge));
      return Future.succeededFuture();
    });
  }

  @AfterEach
  void stop() throws Exception {
    on(() -> {
      deliveries.clear();
      return Future.succeededFuture();
    });
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
  }

  @Test
  void aRefusedTargetIsNotAttemptedAndItsEventGoesToTheDeadLetterQueueAtOnce() {
    targetVerdicts.add(Verdict.denied("events.amazonaws.com may not perform sqs:SendMessage on " + QUEUE));
    acceptEvent();
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    JsonObject dl = sent.get(0);
    assertThat(dl.getString("QueueUrl")).endsWith("/000000000000/dlq");
    JsonObject attrs = dl.getJsonObject("MessageAttributes");
    assertThat(attrs.fieldNames()).containsExactlyInAnyOrder("RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE");
    assertThat(attrs.getJsonObject("ERROR_CODE").getString("StringValue")).isEqualTo("NO_PERMISSIONS");
    assertThat(attrs.getJsonObject("ERROR_MESSAGE").getString("StringValue")).contains("sqs:SendMessage");
    assertThat(asked).containsExactly(
        new Delivery("events.amazonaws.com", "sqs:SendMessage", QUEUE, RULE, "000000000000"),
        new Delivery("events.amazonaws.com", "sqs:SendMessage", DLQ, RULE, "000000000000"));
    await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().deliveries().isEmpty());
  }

  @Test
  void aRefusedDeadLetterQueueDropsTheEvent() {
    targetVerdicts.add(Verdict.denied("no"));
    deadLetterVerdict = Verdict.denied("the dead-letter queue has no policy allowing it");
    acceptEvent();
    await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().deliveries().isEmpty() && snapshot().events().isEmpty());
    assertThat(sent).isEmpty();
    assertThat(asked).hasSize(2);
  }

  @Test
  void aPolicyThatCouldNotBeReadIsRetriedThenDelivered() {
    targetVerdicts.add(Verdict.unavailable("the policy of " + QUEUE + " could not be read"));
    acceptEvent();
    await().atMost(Duration.ofSeconds(5)).until(() -> asked.size() == 1 && storedAttempts() == 1);
    assertThat(sent).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    assertThat(sent.get(0).getString("QueueUrl")).endsWith("/000000000000/orders");
    assertThat(sent.get(0).containsKey("MessageAttributes")).isFalse();
  }

  /** A rule with the queue target (and its dead-letter queue) and an accepted event for it, written as PutEvents writes them. */
  private void acceptEvent() {
    on(() -> {
      JsonObject wire = new JsonObject().put("Id", "q").put("Arn", QUEUE)
          .put("DeadLetterConfig", new JsonObject().put("Arn", DLQ));
      Rule rule = new Rule(BUS, "r", "{\"source\":[\"s\"]}", null, Rule.ENABLED, null, null, "000000000000", Map.of(),
          Map.of("q", Target.of(wire)));
      EventStore es = buses.store();
      int p = BUS.partition();
      long seq = buses.nextSequence(p);
      StoredEvent event = new StoredEvent(seq, BUS, "event-1", "{\"id\":\"event-1\"}", clock.millis());
      Batch b = es.batch();
      es.putBus(b, new EventBus(BUS, null, clock.millis(), clock.millis(), Map.of()));
      es.putRule(b, rule);
      es.putEvent(b, p, event);
      es.putDelivery(b, p, seq, rule.arn(), "q", 0, 0);
      buses.put(new EventBus(BUS, null, clock.millis(), clock.millis(), Map.of()));
      buses.putRule(rule);
      return buses.commit(p, b).map(v -> {
        deliveries.add(p, event, List.of(new EventStore.PendingDelivery(seq, rule.arn(), "q", 0, 0)));
        return null;
      });
    });
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
