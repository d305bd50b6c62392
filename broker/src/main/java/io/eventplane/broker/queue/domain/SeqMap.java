package io.eventplane.broker.queue.domain;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A queue's messages by sequence number, in sequence order: what a {@code TreeMap<Long,
 * MessageState>} did, without an entry object and a boxed key per message (the young
 * collector's cost is per live object: docs/benchmarks.md, issue 12, "Fewer objects per
 * message").
 *
 * <p>Two parallel arrays hold the sequences and the states of slots {@code [head, tail)}, sorted by
 * sequence. Sends append (a queue's sequences only grow), a removal leaves an empty slot (state
 * null) that the head skips and a compaction reclaims once empty slots are the majority, and a
 * lookup is a binary search. An insert below the last sequence (not made by the queue today) is
 * still kept in order, by shifting. Not thread-safe: the queue's lane owns it.
 */
final class SeqMap {
  private static final int MIN_CAPACITY = 16;

  private long[] seqs = new long[MIN_CAPACITY];
  private MessageState[] states = new MessageState[MIN_CAPACITY];
  private int head;
  private int tail;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The highest sequence held, or 0 when empty. */
  long lastSeq() {
    for (int i = tail - 1; i >= head; i--) {
      if (states[i] != null) return seqs[i];
    }
    return 0;
  }

  MessageState get(long seq) {
    int i = indexOf(seq);
    return i < 0 ? null : states[i];
  }

  /** Adds or replaces the state of {@code m.seq()}. */
  void put(MessageState m) {
    long seq = m.seq();
    if (tail == head || seqs[tail - 1] < seq) {
      ensureRoomAtTail();
      seqs[tail] = seq;
      states[tail] = m;
      tail++;
      size++;
      return;
    }
    int i = Arrays.binarySearch(seqs, head, tail, seq);
    if (i >= 0) {
      if (states[i] == null) size++;
      states[i] = m;
      return;
    }
    int at = -i - 1;
    ensureRoomAtTail();
    System.arraycopy(seqs, at, seqs, at + 1, tail - at);
    System.arraycopy(states, at, states, at + 1, tail - at);
    seqs[at] = seq;
    states[at] = m;
    tail++;
    size++;
  }

  /** Removes the state of {@code seq}; returns it, or null when there was none. */
  MessageState remove(long seq) {
    int i = indexOf(seq);
    if (i < 0) return null;
    MessageState m = states[i];
    if (m == null) return null;
    states[i] = null;
    size--;
    while (head < tail && states[head] == null) head++;
    if (head == tail) {
      head = 0;
      tail = 0;
    } else if (tail - head > MIN_CAPACITY * 4 && size < (tail - head) / 2) {
      compact(states.length);
    }
    return m;
  }

  /** Every state in sequence order; stops early when the visitor returns false. */
  void forEachWhile(java.util.function.Predicate<MessageState> visitor) {
    for (int i = head; i < tail; i++) {
      MessageState m = states[i];
      if (m != null && !visitor.test(m)) return;
    }
  }

  void forEach(Consumer<MessageState> visitor) {
    forEachWhile(m -> {
      visitor.accept(m);
      return true;
    });
  }

  void clear() {
    seqs = new long[MIN_CAPACITY];
    states = new MessageState[MIN_CAPACITY];
    head = 0;
    tail = 0;
    size = 0;
  }

  /** Slots in use, empty ones included (tests: removals do not let it grow without bound). */
  int slots() {
    return tail - head;
  }

  private int indexOf(long seq) {
    if (head == tail) return -1;
    int i = Arrays.binarySearch(seqs, head, tail, seq);
    return i >= 0 ? i : -1;
  }

  private void ensureRoomAtTail() {
    if (tail < seqs.length) return;
    int capacity = size * 2 >= seqs.length ? seqs.length * 2 : seqs.length;
    compact(Math.max(MIN_CAPACITY, capacity));
  }

  /** Moves the held states to the start of arrays of the given capacity, dropping empty slots. */
  private void compact(int capacity) {
    long[] newSeqs = capacity == seqs.length ? seqs : new long[capacity];
    MessageState[] newStates = capacity == states.length ? states : new MessageState[capacity];
    int j = 0;
    for (int i = head; i < tail; i++) {
      MessageState m = states[i];
      if (m == null) continue;
      newSeqs[j] = seqs[i];
      newStates[j] = m;
      j++;
    }
    if (newStates == states) Arrays.fill(states, j, tail, null);
    seqs = newSeqs;
    states = newStates;
    head = 0;
    tail = j;
  }
}
