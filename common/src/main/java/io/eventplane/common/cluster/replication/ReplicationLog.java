package io.eventplane.common.cluster.replication;

import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Store;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent batches of each partition this node holds, so that a replica that missed some gets
 * exactly those instead of a snapshot of the whole partition. Column family {@value #COLUMN_FAMILY},
 * key {@code partition seq} (2 + 8 bytes, big-endian, so a partition's entries are one ordered
 * range), value {@code epoch} (8 bytes) then the batch's portable log. Each entry is written in the
 * same store batch as the data it describes, by the owner when it commits and by a replica when it
 * applies, so the log is exactly as durable as the data, survives a restart, and a promoted replica
 * can catch up the next one. Invariant: every entry is the batch this node applied at that
 * sequence (a snapshot replaces the data and clears the log with it, see {@link #clear}).
 *
 * <p>Retention: at most {@code retainBatches} entries and {@code retainBytes} of batch logs per
 * partition, counted for the entries this process appended; when either is exceeded by an eighth,
 * one range delete (in the same batch) cuts the partition's log back to the bounds, from its very
 * start, which also removes whatever an earlier run of the process left. So a partition keeps at
 * most about twice the bounds on disk, and range tombstones are rare (one per eighth of the bound).
 *
 * <p>Thread-safety: {@link #append} and {@link #clear} may run on any thread (owners commit on their
 * lane's context, replicas apply on the placement context); each partition's accounting is guarded
 * by its own lock. Reads are blocking and run on workers, against a {@link Store.StoreView}.
 */
public final class ReplicationLog {
  public static final String COLUMN_FAMILY = "replication-log";
  /**
   * Defaults: a node restart or a rolling upgrade keeps a replica away for seconds to a minute; at
   * a few hundred writes per second on a hot partition that is some 10,000 batches; 4 MiB per
   * partition bounds the disk the log may take (about 0.5 GiB if all 64 partitions were full of
   * large batches, a few MiB for typical small messages). Longer absences pay a snapshot copy,
   * which no longer stalls the owner's writes either.
   */
  static final int DEFAULT_RETAIN_BATCHES = 16_384;
  static final long DEFAULT_RETAIN_BYTES = 4L * 1024 * 1024;

  /** One logged batch. */
  record Entry(long seq, long epoch, byte[] log) {}

  private final ColumnFamily cf;
  private final int retainBatches;
  private final long retainBytes;
  private final Map<Integer, Retained> retained = new ConcurrentHashMap<>();

  /** What this process appended to one partition's log and has not trimmed: (seq, bytes) oldest first. */
  private static final class Retained {
    final ArrayDeque<long[]> entries = new ArrayDeque<>();
    long bytes;
  }

  ReplicationLog(Store store) {
    this(store, DEFAULT_RETAIN_BATCHES, DEFAULT_RETAIN_BYTES);
  }

  ReplicationLog(Store store, int retainBatches, long retainBytes) {
    if (retainBatches < 1 || retainBytes < 1) throw new IllegalArgumentException("retention must be positive");
    this.cf = store.columnFamily(COLUMN_FAMILY);
    this.retainBatches = retainBatches;
    this.retainBytes = retainBytes;
  }

  static byte[] key(int partition, long seq) {
    return ByteBuffer.allocate(10).put(Partitions.prefix(partition)).putLong(seq).array();
  }

  /** Adds the batch's entry to the batch itself, and trims the partition's log when it is past its bounds. */
  void append(Batch batch, int partition, long epoch, long seq, byte[] log) {
    batch.put(cf, key(partition, seq), ByteBuffer.allocate(8 + log.length).putLong(epoch).put(log).array());
    long cut = -1;
    Retained r = retained.computeIfAbsent(partition, p -> new Retained());
    synchronized (r) {
      r.entries.add(new long[] {seq, log.length});
      r.bytes += log.length;
      if (r.entries.size() > retainBatches + retainBatches / 8 || r.bytes > retainBytes + retainBytes / 8) {
        while (r.entries.size() > 1 && (r.entries.size() > retainBatches || r.bytes > retainBytes)) {
          long[] oldest = r.entries.poll();
          r.bytes -= oldest[1];
          cut = oldest[0];
        }
      }
    }
    if (cut >= 0) batch.deleteRange(cf, key(partition, 0), key(partition, cut + 1));
  }

  /** Empties the partition's log in the batch: a snapshot copy replaces the history it described. */
  void clear(Batch batch, int partition) {
    batch.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
    Retained r = retained.computeIfAbsent(partition, p -> new Retained());
    synchronized (r) {
      r.entries.clear();
      r.bytes = 0;
    }
  }

  /** Consumes entries one by one; returns false to stop. */
  interface EntryVisitor {
    boolean visit(Entry entry) throws Exception;
  }

  /**
   * Blocking: visits the partition's entries from {@code from} through {@code through}, in order,
   * as of the view, until the visitor returns false. The caller checks contiguity.
   */
  void read(Store.StoreView view, int partition, long from, long through, EntryVisitor visitor) throws Exception {
    Exception[] failure = {null};
    view.scanRange(cf, key(partition, from), key(partition, through + 1), (k, v) -> {
      ByteBuffer b = ByteBuffer.wrap(v);
      long epoch = b.getLong();
      byte[] log = new byte[b.remaining()];
      b.get(log);
      try {
        return visitor.visit(new Entry(ByteBuffer.wrap(k, 2, 8).getLong(), epoch, log));
      } catch (Exception e) {
        failure[0] = e;
        return false;
      }
    });
    if (failure[0] != null) throw failure[0];
  }
}
