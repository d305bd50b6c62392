package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A lane's buckets belong to the thread that created them: another thread touching them fails under -ea. */
class BucketsThreadTest {
  @Test
  void stateIsTouchedOnlyFromTheOwningThread() {
    Buckets buckets = new Buckets(null, null, null);
    assertThat(buckets.owns(3)).isFalse();
    assertThat(buckets.find("photos")).isNull();
    assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> buckets.owns(3)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AssertionError.class)
        .cause().hasMessageContaining("bucket state of").hasMessageContaining("touched from");
    assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> buckets.find("photos")).join())
        .hasCauseInstanceOf(AssertionError.class);
  }
}
