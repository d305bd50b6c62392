package io.eventplane.common.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commit-deadline check runs while commits wait, and an idle node has no timer for it. */
class CommitDeadlinesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** An owner whose commits wait until {@code pending} is cleared; counts the checks. */
  private static final class FakeOwner implements CommitDeadlines.Owner {
    final AtomicBoolean pending = new AtomicBoolean();
    final AtomicInteger checks = new AtomicInteger();
    final List<Long> seen = new CopyOnWriteArrayList<>();

    @Override
    public boolean expire(long now) {
      checks.incrementAndGet();
      seen.add(now);
      return pending.get();
    }
  }

  @Test
  void checksOnlyWhileCommitsWaitAndStopsWhenNoneDo() {
    FakeOwner owner = new FakeOwner();
    CommitDeadlines deadlines = new CommitDeadlines(vertx, () -> List.of(owner), () -> 42L);
    // Idle: nothing armed, nothing checked.
    await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(2))
        .until(() -> !deadlines.armed() && owner.checks.get() == 0);

    owner.pending.set(true);
    deadlines.waiting();
    deadlines.waiting(); // a second commit does not add a second timer
    assertThat(deadlines.armed()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> owner.checks.get() >= 2);
    assertThat(owner.seen).allMatch(t -> t == 42L); // the check asks with the clock's time
    assertThat(deadlines.armed()).isTrue(); // still waiting: re-armed after each check

    owner.pending.set(false);
    int before = owner.checks.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> !deadlines.armed() && owner.checks.get() > before);
    int settled = owner.checks.get();
    // Nothing waits: no more checks for longer than a check's period.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> owner.checks.get() == settled);

    // A later commit arms it again.
    owner.pending.set(true);
    deadlines.waiting();
    await().atMost(Duration.ofSeconds(5)).until(() -> owner.checks.get() > settled);
    deadlines.close();
    int atClose = owner.checks.get();
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> owner.checks.get() == atClose);
  }
}
