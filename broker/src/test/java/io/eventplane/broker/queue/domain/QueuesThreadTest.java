package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A lane's queue state belongs to the thread that created it: another thread touching it fails under -ea. */
class QueuesThreadTest {
  @Test
  void stateIsTouchedOnlyFromTheOwningThread() {
    Queues queues = new Queues(null, null, Clock.systemUTC(), null);
    assertThat(queues.owns(3)).isFalse();
    assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> queues.owns(3)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AssertionError.class)
        .cause().hasMessageContaining("touched from");
  }
}
