package io.eventplane.broker.queue.domain;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently sent messages kept in memory within a byte budget, oldest evicted first, so that a
 * receive soon after the send needs no store read (and no hop to a worker thread). A message is
 * named by queue incarnation id and sequence, which are never reused while the process lives, so a
 * stale entry can waste memory but never answer for another message. Owned by the service context.
 */
final class MessageCache {
  private record Key(long queueId, long seq) {}

  private final long budgetBytes;
  private final LinkedHashMap<Key, StoredMessage> entries = new LinkedHashMap<>();
  private long bytes;

  MessageCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  void put(long queueId, long seq, StoredMessage m) {
    long size = sizeOf(m);
    if (size > budgetBytes / 4) return;
    StoredMessage old = entries.put(new Key(queueId, seq), m);
    if (old != null) bytes -= sizeOf(old);
    bytes += size;
    Iterator<Map.Entry<Key, StoredMessage>> it = entries.entrySet().iterator();
    while (bytes > budgetBytes && it.hasNext()) {
      bytes -= sizeOf(it.next().getValue());
      it.remove();
    }
  }

  StoredMessage get(long queueId, long seq) {
    return entries.get(new Key(queueId, seq));
  }

  void remove(long queueId, long seq) {
    StoredMessage old = entries.remove(new Key(queueId, seq));
    if (old != null) bytes -= sizeOf(old);
  }

  void removeQueue(long queueId) {
    Iterator<Map.Entry<Key, StoredMessage>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, StoredMessage> e = it.next();
      if (e.getKey().queueId == queueId) {
        bytes -= sizeOf(e.getValue());
        it.remove();
      }
    }
  }

  void clear() {
    entries.clear();
    bytes = 0;
  }

  long bytes() {
    return bytes;
  }

  private static long sizeOf(StoredMessage m) {
    long n = 200 + 2L * m.body().length();
    for (AttributeValue v : m.messageAttributes().values()) n += 64 + v.size() * 2L;
    return n;
  }
}
