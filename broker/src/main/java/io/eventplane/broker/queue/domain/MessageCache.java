package io.eventplane.broker.queue.domain;

import io.eventplane.broker.queue.store.MessageCodec;
import java.util.ArrayDeque;

/**
 * Recently sent messages kept in memory within a byte budget, oldest evicted first, so that a
 * receive soon after the send needs no store read (and no hop to a worker thread). Owned by the
 * service context.
 *
 * <p>A cached message is the stored form the send already encoded for the store, held by the
 * message's own {@link MessageState}: one array per message instead of a message record, its
 * strings and a map entry. Every message a lane keeps lives through at least one young
 * collection, and the collector's cost is per object copied, so this is what the tail's young
 * pauses were made of (docs/benchmarks.md, issue 12: the tail). The eviction order is a queue of
 * the states; a state whose message left the cache stays in that queue until it reaches the head
 * or the queue is compacted, which happens once dead entries outnumber the live ones.
 */
final class MessageCache {
  /** Array and state overhead counted against the budget besides the encoded bytes. */
  private static final int OVERHEAD_BYTES = 64;
  private static final int MIN_COMPACT_SIZE = 1024;

  private final long budgetBytes;
  private final ArrayDeque<MessageState> order = new ArrayDeque<>();
  private long bytes;
  private int live;

  MessageCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** Caches the message's stored form on its state, evicting the oldest beyond the budget. */
  void put(MessageState state, byte[] stored) {
    long size = sizeOf(stored);
    if (size > budgetBytes / 4) return;
    remove(state);
    state.cached = stored;
    bytes += size;
    live++;
    order.addLast(state);
    while (bytes > budgetBytes && !order.isEmpty()) remove(order.pollFirst());
    if (order.size() > MIN_COMPACT_SIZE && order.size() > 2 * live) order.removeIf(s -> s.cached == null);
  }

  /** The cached message, or null when it has to be read from the store. */
  StoredMessage get(MessageState state) {
    byte[] stored = state.cached;
    return stored == null ? null : MessageCodec.decode(stored);
  }

  void remove(MessageState state) {
    byte[] stored = state.cached;
    if (stored == null) return;
    state.cached = null;
    bytes -= sizeOf(stored);
    live--;
  }

  /** Forgets the messages of a queue being purged, deleted or released (call before clearing its index). */
  void removeAll(Iterable<MessageState> states) {
    for (MessageState s : states) remove(s);
  }

  void clear() {
    for (MessageState s : order) s.cached = null;
    order.clear();
    bytes = 0;
    live = 0;
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return live;
  }

  /** Entries in the eviction order, live or not (tests: it stays within twice the live ones). */
  int orderLength() {
    return order.size();
  }

  private static long sizeOf(byte[] stored) {
    return OVERHEAD_BYTES + stored.length;
  }
}
