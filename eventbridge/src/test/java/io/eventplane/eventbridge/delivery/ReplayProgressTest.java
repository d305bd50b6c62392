package io.eventplane.eventbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LocalPartitionWriter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Replay;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay's progress is what its store holds: the lane (and so DescribeReplay) shows a page's
 * EventLastReplayedTime only once the page's batch is durable, so a kill -9 cannot move a shown
 * progress backwards; and a CancelReplay committed while a page's batch is on its way is not
 * overwritten by that page's progress. Commits go through a writer that holds them until released,
 * as a slow disk or a slow replica would.
 */
class ReplayProgressTest {
  private static final BusRef BUS = new BusRef("000000000000", "us-east-1", "replayed");
  private static final String ACCOUNT = "000000000000";
  private static final String REGION = "us-east-1";
  private static final int ARCHIVED = 150;

  @TempDir Path dir;
  private Vertx vertx;
  private Store store;
  private Context context;
  private final HeldWriter writer = new HeldWriter();
  private Archives archives;
  private Replays replays;

  /** Commits through the node's store, or held (not written) until released, in order; used on the lane only. */
  private final class HeldWriter implements PartitionWriter {
    private PartitionWriter local;
    private boolean holding;
    private final Deque<Runnable> held = new ArrayDeque<>();

    @Override
    public Future<Void> commit(int partition, Batch batch, Context on) {
      if (!holding) return local.commit(partition, batch, on);
      Promise<Void> done = Promise.promise();
      held.add(() -> local.commit(partition, batch, on).onComplete(done));
      return done.future();
    }

    void hold() {
      holding = true;
    }

    int held() {
      return held.size();
    }

    /** Writes what was held, in order, and stops holding. */
    void release() {
      holding = false;
      while (!held.isEmpty()) held.poll().run();
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    store = Store.open(dir.resolve("store"), Durability.FSYNC, 100, List.of(EventStore.COLUMN_FAMILY));
    writer.local = new LocalPartitionWriter(store);
    context = vertx.getOrCreateContext();
    on(() -> {
      EventStore events = new EventStore(store, writer);
      Buses buses = new Buses(vertx, context, events);
      archives = new Archives(vertx, events);
      replays = new Replays(vertx, context, buses, archives, new Deliveries(vertx, context, buses, new MutableClock(), new HttpCalls(vertx)),
          new MutableClock());
      Archive archive = new Archive(ACCOUNT, REGION, "all", BUS, null, null, 0, 0, ARCHIVED, 0);
      Batch b = events.batch();
      for (int i = 0; i < ARCHIVED; i++) {
        events.putArchived(b, archive, 1_000 + i, i, "{\"id\":\"e" + i + "\",\"source\":\"shop\",\"region\":\"us-east-1\"}");
      }
      events.putArchive(b, archive);
      archives.put(archive);
      return buses.commit(BUS.partition(), b);
    });
  }

  @AfterEach
  void stop() throws Exception {
    on(() -> {
      writer.release();
      replays.clear();
      return Future.succeededFuture();
    });
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    store.close();
  }

  @Test
  void aPagesProgressShowsOnlyOnceItsBatchIsDurable() {
    startReplay();
    // The first page's batch is written but not yet durable: nothing of it shows.
    await().atMost(Duration.ofSeconds(10)).until(() -> on(() -> Future.succeededFuture(writer.held())) == 1);
    Replay shown = shown();
    assertThat(shown.eventLastReplayedTime()).as("EventLastReplayedTime before the page is durable").isZero();
    assertThat(shown.lastKey()).isNull();
    assertThat(shown.state()).isEqualTo(Replay.STARTING);
    assertThat(stored().lastKey()).as("what a restart would find").isNull();

    // Durable: the progress shows, then the rest runs to the end.
    on(() -> {
      writer.release();
      return Future.succeededFuture();
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> Replay.COMPLETED.equals(shown().state()));
    assertThat(shown().eventLastReplayedTime()).isEqualTo(1_000 + ARCHIVED - 1);
    assertThat(stored().eventLastReplayedTime()).isEqualTo(1_000 + ARCHIVED - 1);
  }

  @Test
  void aCancelCommittedWhileAPageIsOnItsWayStaysCancelled() {
    startReplay();
    await().atMost(Duration.ofSeconds(10)).until(() -> on(() -> Future.succeededFuture(writer.held())) == 1);
    // CancelReplay as ArchiveOperations does it, while the first page's batch is held.
    on(() -> {
      Replay cancelling = archives.replay(ACCOUNT, REGION, "r").withState(Replay.CANCELLING, 0);
      Batch b = archives.store().batch();
      archives.store().putReplay(b, cancelling);
      archives.putReplay(cancelling);
      Future<Void> committed = archives.store().commit(BUS.partition(), b, context);
      writer.release();
      return committed.map(v -> {
        replays.cancelled(cancelling);
        return null;
      });
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> Replay.CANCELLED.equals(shown().state()));
    assertThat(shown().eventLastReplayedTime()).as("stopped after the page that was on its way").isEqualTo(1_000 + 99);
    assertThat(stored().state()).isEqualTo(Replay.CANCELLED);
  }

  private void startReplay() {
    on(() -> {
      Replay r = new Replay(ACCOUNT, REGION, "r", null, "all", BUS, null, 0, 1_000_000, Replay.STARTING, 0, 0, 0, null);
      Batch b = archives.store().batch();
      archives.store().putReplay(b, r);
      archives.putReplay(r);
      // The record itself is durable before the loop starts, as StartReplay waits for it; the pages' are held.
      return archives.store().commit(BUS.partition(), b, context).map(v -> {
        writer.hold();
        replays.start(r);
        return null;
      });
    });
  }

  /** The replay as the lane shows it (what DescribeReplay answers). */
  private Replay shown() {
    return on(() -> Future.succeededFuture(archives.replay(ACCOUNT, REGION, "r")));
  }

  /** The replay as the store holds it (what a restarted lane would load). */
  private Replay stored() {
    return on(() -> vertx.executeBlocking(() -> archives.store().loadArchives(BUS.partition())))
        .replays().stream().filter(r -> r.name().equals("r")).findFirst().orElseThrow();
  }

  private <T> T on(Supplier<Future<T>> action) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(ar -> {
          if (ar.succeeded()) done.complete(ar.result());
          else done.completeExceptionally(ar.cause());
        });
      } catch (RuntimeException | AssertionError e) {
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
