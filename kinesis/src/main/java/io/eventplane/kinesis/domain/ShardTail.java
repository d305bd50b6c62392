package io.eventplane.kinesis.domain;

import io.eventplane.kinesis.store.StoredRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * One shard's write frontier on its lane: the positions handed out, which of them are durable,
 * and the newest durable records kept in memory. Confined to the lane's context.
 *
 * <p>Readers see a record only once it and every position before it have been committed (or
 * failed, leaving a gap): {@link #visible()} is that bound. So a reader never skips a record whose
 * batch became durable after a later one's, nor sees a record whose put has not been answered.
 * The newest visible records (at most {@link #MAX_RECORDS} and {@link #MAX_BYTES}) stay in memory,
 * so a consumer that keeps up reads without a store scan.
 */
public final class ShardTail {
  static final int MAX_RECORDS = 512;
  static final long MAX_BYTES = 1024 * 1024;
  private static final StoredRecord PENDING = new StoredRecord(-1, 0, false, "", new byte[0]);
  private static final StoredRecord FAILED = new StoredRecord(-2, 0, false, "", new byte[0]);

  private long next;
  private long visible;
  private final TreeMap<Long, StoredRecord> inFlight = new TreeMap<>();
  private final ArrayDeque<StoredRecord> recent = new ArrayDeque<>();
  private long recentBytes;
  /** Memory holds every visible record from this position on (gaps are failed writes). */
  private long recentFrom;

  /** A shard whose records below {@code next} are all durable (as loaded from the store). */
  ShardTail(long next) {
    this.next = next;
    this.visible = next;
    this.recentFrom = next;
  }

  /** The position the shard's next record gets. */
  public long next() {
    return next;
  }

  /** Every position below this one is durable or will never be: what readers may see. */
  public long visible() {
    return visible;
  }

  /** Takes the next position for a record about to be written. */
  public long take() {
    long p = next++;
    inFlight.put(p, PENDING);
    return p;
  }

  /** The record at its position is durable. */
  public void committed(StoredRecord r) {
    inFlight.put(r.position(), r);
    advance();
  }

  /** The write of the position failed: it stays a gap. */
  public void failed(long position) {
    inFlight.put(position, FAILED);
    advance();
  }

  private void advance() {
    while (!inFlight.isEmpty() && inFlight.firstEntry().getValue() != PENDING) {
      StoredRecord r = inFlight.pollFirstEntry().getValue();
      visible++;
      if (r == FAILED) continue;
      recent.addLast(r);
      recentBytes += r.data().length;
      while (recent.size() > MAX_RECORDS || recentBytes > MAX_BYTES) evictOldest();
    }
  }

  private void evictOldest() {
    StoredRecord evicted = recent.removeFirst();
    recentBytes -= evicted.data().length;
    recentFrom = evicted.position() + 1;
  }

  /** Forgets the records that arrived before {@code cutoff}: the retention sweep deletes them from the store. */
  public void expire(long cutoff) {
    while (!recent.isEmpty() && recent.peekFirst().arrivalMillis() < cutoff) evictOldest();
  }

  /**
   * The visible records from {@code from} on if memory holds all of them (null when older ones are
   * asked for: read the store), as a store page would give them.
   */
  public Page read(long from, int limit, long maxBytes, long cutoff) {
    if (from >= visible) return new Page(List.of(), false);
    if (from < recentFrom) return null;
    List<StoredRecord> out = new ArrayList<>();
    long bytes = 0;
    Iterator<StoredRecord> it = recent.iterator();
    while (it.hasNext()) {
      StoredRecord r = it.next();
      if (r.position() < from || r.arrivalMillis() < cutoff) continue;
      if (out.size() >= limit || (!out.isEmpty() && bytes + r.data().length > maxBytes)) return new Page(out, true);
      out.add(r);
      bytes += r.data().length;
    }
    return new Page(out, false);
  }

  /** A page of records and whether visible records were left after it. */
  public record Page(List<StoredRecord> records, boolean more) {}
}
