package io.eventplane.broker.topic.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A lane's topic state belongs to the thread that created it: another thread touching it fails under -ea. */
class TopicsThreadTest {
  @Test
  void stateIsTouchedOnlyFromTheOwningThread() {
    Topics topics = new Topics(null, null, null);
    String arn = "arn:aws:sns:us-east-1:000000000000:orders";
    assertThat(topics.get(arn)).isNull();
    assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> topics.get(arn)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AssertionError.class)
        .cause().hasMessageContaining("touched from");
  }
}
