package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageCacheTest {
  private static StoredMessage msg(String body) {
    return new StoredMessage("id", body, 0, "s", null, null, null, null, null);
  }

  @Test
  void evictsOldestBeyondTheBudgetAndForgetsRemovedQueues() {
    MessageCache cache = new MessageCache(10_000);
    for (int i = 0; i < 20; i++) cache.put(1, i, msg("x".repeat(1000)));
    assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(cache.get(1, 0)).isNull();
    assertThat(cache.get(1, 19)).isNotNull();
    cache.put(2, 1, msg("y"));
    cache.removeQueue(1);
    assertThat(cache.get(1, 19)).isNull();
    assertThat(cache.get(2, 1).body()).isEqualTo("y");
    cache.remove(2, 1);
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void messagesLargerThanAQuarterOfTheBudgetAreNotCached() {
    MessageCache cache = new MessageCache(10_000);
    cache.put(1, 1, msg("z".repeat(5_000)));
    assertThat(cache.get(1, 1)).isNull();
  }
}
