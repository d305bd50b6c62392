package io.eventplane.broker.topic.delivery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A lane's pending deliveries belong to the thread that created them: another thread touching them fails under -ea. */
class DeliveriesThreadTest {
  @Test
  void stateIsTouchedOnlyFromTheOwningThread() {
    Deliveries deliveries = new Deliveries(null, null, null, null, null, arn -> null);
    deliveries.unload(3);
    assertThatThrownBy(() -> CompletableFuture.runAsync(() -> deliveries.unload(3)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AssertionError.class)
        .cause().hasMessageContaining("touched from");
  }
}
