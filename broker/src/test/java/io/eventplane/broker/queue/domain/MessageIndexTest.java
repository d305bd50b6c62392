package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageIndexTest {
  private static MessageState msg(long seq, String group, long visibleAt) {
    return new MessageState(seq, group, 0, 10, visibleAt, 0, 0, 0);
  }

  private static List<Long> seqs(List<MessageState> ms) {
    return ms.stream().map(MessageState::seq).toList();
  }

  @Test
  void standardDeliversVisibleOldestFirstAndCounts() {
    MessageIndex index = new MessageIndex(false);
    index.add(msg(1, null, 0), 100);
    index.add(msg(2, null, 500), 100);
    index.add(msg(3, null, 0), 100);
    assertThat(index.visibleCount()).isEqualTo(2);
    assertThat(index.delayedCount()).isEqualTo(1);
    List<MessageState> got = index.candidates(10, 100);
    assertThat(seqs(got)).containsExactly(1L, 3L);
    index.markInFlight(got.get(0), 1_000, 7, 100);
    assertThat(index.inFlightCount()).isEqualTo(1);
    assertThat(seqs(index.candidates(10, 600))).containsExactly(2L, 3L);
    assertThat(seqs(index.candidates(10, 1_000))).containsExactly(1L, 2L, 3L);
    assertThat(index.get(1).receiveCount()).isEqualTo(1);
  }

  @Test
  void fifoLocksAGroupWhileAnyMessageIsInFlight() {
    MessageIndex index = new MessageIndex(true);
    index.add(msg(1, "a", 0), 0);
    index.add(msg(2, "a", 0), 0);
    index.add(msg(3, "b", 0), 0);
    MessageState a1 = index.candidates(1, 0).get(0);
    assertThat(a1.seq()).isEqualTo(1);
    index.markInFlight(a1, 100, 1, 0);
    assertThat(seqs(index.candidates(10, 0))).containsExactly(3L);
    index.remove(a1, 0);
    assertThat(seqs(index.candidates(10, 0))).containsExactly(2L, 3L);
  }

  @Test
  void fifoMessageReturnsToTheHeadWhenItsVisibilityEnds() {
    MessageIndex index = new MessageIndex(true);
    index.add(msg(1, "a", 0), 0);
    index.add(msg(2, "a", 0), 0);
    index.markInFlight(index.get(1), 50, 1, 0);
    assertThat(index.hasDeliverable()).isFalse();
    index.promote(50);
    assertThat(index.hasDeliverable()).isTrue();
    assertThat(seqs(index.candidates(10, 50))).containsExactly(1L, 2L);
    assertThat(index.nextVisibleAt()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void restoredInFlightStateKeepsItsGroupLocked() {
    MessageIndex index = new MessageIndex(true);
    index.add(new MessageState(1, "a", 0, 1, 1_000, 1, 5, 9), 10);
    index.add(msg(2, "a", 0), 10);
    assertThat(index.inFlightCount()).isEqualTo(1);
    assertThat(index.candidates(10, 10)).isEmpty();
    assertThat(seqs(index.candidates(10, 1_000))).containsExactly(1L, 2L);
  }

  /**
   * Groups are served by when their head became visible: one that came back (here received with a
   * timeout of 0, at the same millisecond) queues behind one that waited; a head removed lets the
   * group keep its place by its next message's send.
   */
  @Test
  void fifoGroupsAreServedByWhenTheirHeadBecameVisible() {
    MessageIndex index = new MessageIndex(true);
    index.add(msg(1, "g1", 0), 0);
    index.add(msg(2, "g2", 0), 0);
    index.add(msg(3, "g3", 0), 0);
    index.markInFlight(index.get(1), 0, 1, 0);
    index.markInFlight(index.get(2), 0, 2, 0);
    assertThat(seqs(index.candidates(10, 0))).containsExactly(3L, 1L, 2L);
    // A timeout that ran out later than another's comes back later.
    index.markInFlight(index.get(3), 200, 3, 0);
    index.markInFlight(index.get(1), 100, 4, 0);
    assertThat(seqs(index.candidates(10, 300))).containsExactly(2L, 1L, 3L);
  }
}
