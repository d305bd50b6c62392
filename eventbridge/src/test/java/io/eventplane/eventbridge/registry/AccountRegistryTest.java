package io.eventplane.eventbridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.partition.LocalPartitionWriter;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account registry on its own: reserves decided one after another per account and region,
 * quotas counted, orphans (a reservation whose resource is not at its home) dropped only after the
 * grace, ended resources no longer counted, reservations kept across a restart. The homes are a map
 * the test fills ({@code eventplane:Holds} answered from it), so a crash between reserving and
 * creating is simply a reservation whose home never gets the resource.
 */
class AccountRegistryTest {
  private static final RequestContext CTX = new RequestContext("000000000000", "us-east-1", "test", "http://eventplane.internal");
  private static final int PARTITION = AccountRegistry.partition("000000000000", "us-east-1");
  private static final String HOME = "arn:aws:events:us-east-1:000000000000:event-bus/b";

  @TempDir Path dir;
  private Vertx vertx;
  private Store store;
  private Context context;
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  /** Resources at their homes by kind/name: true = exists and runs, false = exists and ended. */
  private final Map<String, Boolean> homes = new ConcurrentHashMap<>();
  private final AtomicInteger holdsAsked = new AtomicInteger();
  private AccountRegistry registry;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(EventStore.COLUMN_FAMILY));
    context = vertx.getOrCreateContext();
    registry = loaded();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
  }

  private AccountRegistry loaded() {
    AccountRegistry r = on(() -> {
      AccountRegistry fresh = new AccountRegistry(vertx, context, new EventStore(store, new LocalPartitionWriter(store)), clock);
      return fresh.load(PARTITION).map(fresh);
    });
    return r;
  }

  /** What the lanes' route does for the registry: answers Holds from the map. */
  private Future<JsonObject> route(ApiRequest request) {
    assertThat(request.operation()).isEqualTo(AccountRegistry.HOLDS);
    holdsAsked.incrementAndGet();
    Boolean running = homes.get(request.input().getString("Kind") + "/" + request.input().getString("Name"));
    return Future.succeededFuture(new JsonObject().put("Exists", running != null).put("Active", running != null && running));
  }

  private String reserve(String kind, String name, int limit, boolean activeOnly) {
    return reserveAsync(kind, name, limit, activeOnly).join();
  }

  private CompletableFuture<String> reserveAsync(String kind, String name, int limit, boolean activeOnly) {
    ApiRequest request = AccountRegistry.reserve(CTX, kind, name, HOME, limit, activeOnly);
    CompletableFuture<String> out = new CompletableFuture<>();
    context.runOnContext(v -> registry.reserve(request, this::route).onComplete(ar -> {
      if (ar.succeeded()) out.complete(ar.result().getString("Outcome"));
      else out.completeExceptionally(ar.cause());
    }));
    return out;
  }

  private void release(ApiRequest request) {
    on(() -> registry.release(request, this::route));
  }

  private <T> T on(Supplier<Future<T>> work) {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> work.get().onComplete(ar -> {
      if (ar.succeeded()) out.complete(ar.result());
      else out.completeExceptionally(ar.cause());
    }));
    try {
      return out.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void manyConcurrentReservesOfOneNameLetExactlyOneWin() {
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) all.add(reserveAsync("archive", "same", 0, false));
    List<String> outcomes = all.stream().map(CompletableFuture::join).toList();
    assertThat(outcomes).filteredOn(AccountRegistry.RESERVED::equals).hasSize(1);
    assertThat(outcomes).filteredOn(AccountRegistry.TAKEN::equals).hasSize(19);
  }

  @Test
  void concurrentReservesOfDistinctNamesStopAtTheQuota() {
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) all.add(reserveAsync("bus", "bus-" + i, 5, false));
    List<String> outcomes = all.stream().map(CompletableFuture::join).toList();
    assertThat(outcomes).filteredOn(AccountRegistry.RESERVED::equals).hasSize(5);
    assertThat(outcomes).filteredOn(AccountRegistry.LIMIT::equals).hasSize(15);
  }

  @Test
  void anOrphanedReservationIsDroppedOnlyOnceItsGraceHasPassed() {
    // Reserved, then the create never happened (a crash between the two steps): the home has nothing.
    assertThat(reserve("archive", "orphan", 1, false)).isEqualTo(AccountRegistry.RESERVED);
    // Within the grace it may be a create in flight: it keeps the name and the quota.
    assertThat(reserve("archive", "orphan", 1, false)).isEqualTo(AccountRegistry.TAKEN);
    assertThat(reserve("archive", "other", 1, false)).isEqualTo(AccountRegistry.LIMIT);
    clock.advance(Duration.ofMillis(AccountRegistry.GRACE_MILLIS));
    assertThat(reserve("archive", "other", 1, false)).isEqualTo(AccountRegistry.RESERVED);
    // A reservation whose resource exists is never dropped, however old.
    homes.put("archive/other", true);
    clock.advance(Duration.ofDays(1));
    assertThat(reserve("archive", "other", 0, false)).isEqualTo(AccountRegistry.TAKEN);
    assertThat(reserve("archive", "third", 1, false)).isEqualTo(AccountRegistry.LIMIT);
  }

  @Test
  void anEndedResourceStopsCountingButKeepsItsName() {
    homes.put("replay/first", true);
    assertThat(reserve("replay", "first", 1, true)).isEqualTo(AccountRegistry.RESERVED);
    assertThat(reserve("replay", "second", 1, true)).isEqualTo(AccountRegistry.LIMIT);
    // The end is reported ...
    release(AccountRegistry.deactivate(CTX, "replay", "first"));
    assertThat(reserve("replay", "second", 1, true)).isEqualTo(AccountRegistry.RESERVED);
    // ... or found when the quota is full (the report was lost), also within the grace.
    homes.put("replay/second", false);
    assertThat(reserve("replay", "third", 1, true)).isEqualTo(AccountRegistry.RESERVED);
    assertThat(reserve("replay", "first", 0, true)).isEqualTo(AccountRegistry.TAKEN);
  }

  @Test
  void aFailedCreateReleasesByIdAndADeleteReleasesWhatPredatesIt() {
    ApiRequest first = AccountRegistry.reserve(CTX, "bus", "a", HOME, 1, false);
    assertThat(on(() -> registry.reserve(first, this::route)).getString("Outcome")).isEqualTo(AccountRegistry.RESERVED);
    // Another call's id releases nothing.
    release(AccountRegistry.releaseFailed(AccountRegistry.reserve(CTX, "bus", "a", HOME, 1, false)));
    assertThat(reserve("bus", "b", 1, false)).isEqualTo(AccountRegistry.LIMIT);
    release(AccountRegistry.releaseFailed(first));
    assertThat(reserve("bus", "b", 1, false)).isEqualTo(AccountRegistry.RESERVED);
    homes.put("bus/b", true);
    // A delete releases only once the resource is gone, and not a reservation made after it began.
    long deleteBegan = clock.millis();
    release(AccountRegistry.releaseDeleted(CTX, "bus", "b", deleteBegan));
    assertThat(reserve("bus", "c", 1, false)).isEqualTo(AccountRegistry.LIMIT);
    homes.remove("bus/b");
    clock.advance(Duration.ofMillis(1));
    release(AccountRegistry.releaseDeleted(CTX, "bus", "b", deleteBegan - 1));
    assertThat(reserve("bus", "c", 1, false)).isEqualTo(AccountRegistry.LIMIT);
    release(AccountRegistry.releaseDeleted(CTX, "bus", "b", deleteBegan));
    assertThat(reserve("bus", "c", 1, false)).isEqualTo(AccountRegistry.RESERVED);
  }

  @Test
  void reservationsOutliveARestartOfTheirPartition() {
    homes.put("archive/kept", true);
    assertThat(reserve("archive", "kept", 0, false)).isEqualTo(AccountRegistry.RESERVED);
    on(() -> {
      registry.unload(PARTITION);
      return Future.succeededFuture();
    });
    registry = loaded();
    assertThat(reserve("archive", "kept", 0, false)).isEqualTo(AccountRegistry.TAKEN);
    assertThat(reserve("archive", "new", 1, false)).isEqualTo(AccountRegistry.LIMIT);
  }
}
