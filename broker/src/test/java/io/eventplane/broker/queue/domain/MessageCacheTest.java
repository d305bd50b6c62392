package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.broker.queue.store.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCacheTest {
  private static byte[] stored(String body) {
    return MessageCodec.encode(new StoredMessage("id", body, 0, "s", null, null, null, null, null));
  }

  private static MessageState state(long seq) {
    return new MessageState(seq, null, 0, 1, 0, 0, 0, 0);
  }

  @Test
  void evictsOldestBeyondTheBudgetAndForgetsRemovedMessages() {
    MessageCache cache = new MessageCache(10_000);
    List<MessageState> states = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      MessageState s = state(i);
      states.add(s);
      cache.put(s, stored("x".repeat(1000)));
    }
    assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(cache.get(states.get(0))).isNull();
    assertThat(cache.get(states.get(19)).body()).isEqualTo("x".repeat(1000));
    MessageState other = state(1);
    cache.put(other, stored("y"));
    cache.removeAll(states);
    assertThat(cache.get(states.get(19))).isNull();
    assertThat(cache.get(other).body()).isEqualTo("y");
    cache.remove(other);
    assertThat(cache.bytes()).isZero();
    assertThat(cache.size()).isZero();
  }

  @Test
  void messagesLargerThanAQuarterOfTheBudgetAreNotCached() {
    MessageCache cache = new MessageCache(10_000);
    MessageState s = state(1);
    cache.put(s, stored("z".repeat(5_000)));
    assertThat(cache.get(s)).isNull();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void removedMessagesDoNotPileUpInTheEvictionOrder() {
    MessageCache cache = new MessageCache(64L * 1024 * 1024);
    MessageState oldest = state(0);
    cache.put(oldest, stored("kept"));
    for (int i = 1; i <= 100_000; i++) {
      MessageState s = state(i);
      cache.put(s, stored("m"));
      cache.remove(s);
    }
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.get(oldest).body()).isEqualTo("kept");
    assertThat(cache.orderLength()).isLessThan(2_100);
  }

  @Test
  void clearForgetsEverything() {
    MessageCache cache = new MessageCache(10_000);
    MessageState s = state(1);
    cache.put(s, stored("a"));
    cache.clear();
    assertThat(cache.get(s)).isNull();
    assertThat(cache.bytes()).isZero();
  }
}
