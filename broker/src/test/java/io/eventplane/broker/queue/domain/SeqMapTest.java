package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeqMapTest {
  private static MessageState state(long seq) {
    return new MessageState(seq, null, 0, 1, 0, 0, 0, 0);
  }

  private static List<Long> seqs(SeqMap map) {
    List<Long> out = new ArrayList<>();
    map.forEach(m -> out.add(m.seq()));
    return out;
  }

  @Test
  void keepsSequenceOrderAndFindsBySequence() {
    SeqMap map = new SeqMap();
    for (long s = 1; s <= 100; s++) map.put(state(s));
    assertThat(map.size()).isEqualTo(100);
    assertThat(map.get(42).seq()).isEqualTo(42);
    assertThat(map.get(101)).isNull();
    assertThat(map.remove(42).seq()).isEqualTo(42);
    assertThat(map.remove(42)).isNull();
    assertThat(map.get(42)).isNull();
    assertThat(map.lastSeq()).isEqualTo(100);
    map.remove(100);
    assertThat(map.lastSeq()).isEqualTo(99);
    assertThat(seqs(map)).hasSize(98).isSorted();
  }

  @Test
  void insertsBelowTheLastSequenceInOrder() {
    SeqMap map = new SeqMap();
    map.put(state(10));
    map.put(state(30));
    map.put(state(20));
    map.put(state(5));
    assertThat(seqs(map)).containsExactly(5L, 10L, 20L, 30L);
    MessageState replacement = state(20);
    map.put(replacement);
    assertThat(map.size()).isEqualTo(4);
    assertThat(map.get(20)).isSameAs(replacement);
  }

  @Test
  void removalsDoNotLetTheSlotsGrowWithoutBound() {
    SeqMap map = new SeqMap();
    map.put(state(0));
    for (long s = 1; s <= 200_000; s++) {
      map.put(state(s));
      map.remove(s);
    }
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.slots()).isLessThan(200);
    assertThat(map.get(0).seq()).isZero();
    map.remove(0);
    assertThat(map.isEmpty()).isTrue();
    assertThat(map.lastSeq()).isZero();
  }

  @Test
  void behavesAsATreeMapUnderRandomOperations() {
    Random random = new Random(12);
    SeqMap map = new SeqMap();
    TreeMap<Long, MessageState> expected = new TreeMap<>();
    long next = 1;
    for (int op = 0; op < 200_000; op++) {
      int kind = random.nextInt(10);
      if (kind < 5) {
        MessageState m = state(random.nextInt(20) == 0 ? random.nextInt((int) next) + 1 : next++);
        map.put(m);
        expected.put(m.seq(), m);
      } else if (kind < 9) {
        long seq = random.nextInt((int) next) + 1;
        assertThat(map.remove(seq)).isSameAs(expected.remove(seq));
      } else {
        long seq = random.nextInt((int) next) + 1;
        assertThat(map.get(seq)).isSameAs(expected.get(seq));
      }
      assertThat(map.size()).isEqualTo(expected.size());
    }
    assertThat(seqs(map)).containsExactlyElementsOf(expected.keySet());
    assertThat(map.lastSeq()).isEqualTo(expected.isEmpty() ? 0 : expected.lastKey());
    map.clear();
    assertThat(map.size()).isZero();
    assertThat(seqs(map)).isEmpty();
  }
}
