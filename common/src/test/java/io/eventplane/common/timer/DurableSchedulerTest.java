package io.eventplane.common.timer;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableSchedulerTest {
  @TempDir Path dir;

  @Test
  void timersFireOnlyWhenDueAndSurviveARestart() throws Exception {
    MutableClock clock = new MutableClock(1_000_000);
    List<String> fired = new CopyOnWriteArrayList<>();
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of(DurableScheduler.COLUMN_FAMILY))) {
      Vertx vertx = Vertx.vertx();
      DurableScheduler scheduler = new DurableScheduler(vertx, store, clock);
      vertx.runOnContext(v -> {
        scheduler.register("k", t -> {
          fired.add(t.id());
          return Future.succeededFuture();
        });
        scheduler.start();
      });
      Batch b = store.batch();
      scheduler.schedule(b, "k", "soon", clock.millis() + 1_000, "p".getBytes(StandardCharsets.UTF_8));
      scheduler.schedule(b, "k", "later", clock.millis() + 60_000, null);
      store.commit(b).get();
      clock.advance(Duration.ofSeconds(2));
      scheduler.nudge(clock.millis());
      waitFor(() -> fired.contains("soon"));
      assertThat(fired).containsExactly("soon");
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    // After a restart, the later timer is still there and fires once due.
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of(DurableScheduler.COLUMN_FAMILY))) {
      Vertx vertx = Vertx.vertx();
      DurableScheduler scheduler = new DurableScheduler(vertx, store, clock);
      List<String> after = new CopyOnWriteArrayList<>();
      vertx.runOnContext(v -> {
        scheduler.register("k", t -> {
          after.add(t.id());
          return Future.succeededFuture();
        });
        scheduler.start();
      });
      clock.advance(Duration.ofSeconds(60));
      waitFor(() -> after.contains("later"));
      assertThat(after).containsExactly("later");
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFailingHandlerIsRetried() throws Exception {
    MutableClock clock = new MutableClock(1_000_000);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    try (Store store = Store.open(dir, Durability.NONE, 100, List.of(DurableScheduler.COLUMN_FAMILY))) {
      Vertx vertx = Vertx.vertx();
      DurableScheduler scheduler = new DurableScheduler(vertx, store, clock);
      vertx.runOnContext(v -> {
        scheduler.register("k", t -> {
          attempts.add(attempts.size());
          return attempts.size() < 3 ? Future.failedFuture("not yet") : Future.succeededFuture();
        });
        scheduler.start();
      });
      Batch b = store.batch();
      scheduler.schedule(b, "k", "x", clock.millis(), null);
      store.commit(b).get();
      waitFor(() -> attempts.size() >= 3);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(3);
  }

  private static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
  }
}
