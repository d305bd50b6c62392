package io.eventplane.common.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;

/**
 * The node's one RocksDB: a column family per service, atomic batches, and group commit.
 *
 * <p>Concurrency contract: reads ({@link #get}, {@link #multiGet}, {@link #scan}) may be called from
 * any non-event-loop thread concurrently; {@link #getMemoryFirst} and {@link #multiGetMemoryFirst}
 * also from an event loop (they read memory there and send only the rest to a worker). Writes are
 * queued by {@link #commit} from any thread and applied in submission order by one writer thread; in
 * {@link Durability#FSYNC} mode the writer fsyncs the WAL once for everything it drained, so
 * concurrent requests share an fsync. A commit's future completes only after its batch is durable
 * per the configured mode, with one task per waiting context per group.
 *
 * <p>Close order: writer thread, syncer, column family handles, DB, options (reverse of creation).
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Store.class.getName());
  private static final int MAX_GROUP = 1024;

  static {
    RocksLibrary.load();
  }

  private final Path dir;
  private final Durability durability;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions;
  private final ReadOptions memoryOnly;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final Map<String, ColumnFamily> families = new HashMap<>();
  private final BlockingQueue<PendingWrite> pending = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final ScheduledExecutorService syncer;
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong completionTasks = new AtomicLong();
  private final AtomicLong memoryReads = new AtomicLong();
  private final AtomicLong diskReads = new AtomicLong();
  private final CommitStats stats = new CommitStats();
  /** Set once at start-up by the node's metrics; read by the writer thread. */
  private volatile CommitListener commitListener;
  /** The system property that makes {@link #close} print the group-commit histograms to stderr. */
  public static final String PRINT_COMMIT_STATS = "eventplane.store.printCommitStats";
  /** RocksDB's {@code manual_wal_flush}: the writer then moves the WAL buffer to the file itself, once per group. */
  private final boolean manualWalFlush;
  private volatile boolean closed;

  /**
   * A queued write and who waits for it: a promise of a context (completed with one task per
   * context per group) or a plain future (completed on the writer thread), or a view request.
   */
  private record PendingWrite(
      Batch batch, Context context, Promise<Void> promise, CompletableFuture<Void> done, CompletableFuture<StoreView> view,
      long enqueuedNanos) {
    PendingWrite(Batch batch, CompletableFuture<Void> done) {
      this(batch, null, null, done, null, System.nanoTime());
    }

    void finish(Throwable failure) {
      if (promise != null) ContextCompletions.complete(context, promise, null, failure);
      else if (failure == null) done.complete(null);
      else done.completeExceptionally(failure);
    }
  }

  private static final PendingWrite STOP = new PendingWrite(null, null);

  /**
   * Extra RocksDB DB options, RocksDB's own {@code name=value;...} syntax (say
   * {@code manual_wal_flush=true;recycle_log_file_num=4}), for measuring a setting without a rebuild.
   */
  public static final String DB_OPTIONS_PROPERTY = "eventplane.rocksdb.dbOptions";

  private Store(Path dir, Durability durability, long syncIntervalMillis, List<String> columnFamilies) {
    this.dir = dir;
    this.durability = durability;
    try {
      Files.createDirectories(dir);
    } catch (Exception e) {
      throw new StoreException("create directory " + dir, e);
    }
    cfOptions = new ColumnFamilyOptions().optimizeLevelStyleCompaction();
    dbOptions = dbOptions(System.getProperty(DB_OPTIONS_PROPERTY, ""));
    manualWalFlush = dbOptions.manualWalFlush();
    writeOptions = new WriteOptions().setSync(false);
    // Memtables, block cache and already-open table readers only: a read that would touch a file
    // stops with Status Incomplete instead (RocksDB's "no blocking io").
    memoryOnly = new ReadOptions().setReadTier(ReadTier.BLOCK_CACHE_TIER);
    LinkedHashSet<String> names = new LinkedHashSet<>();
    names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY));
    names.addAll(existingFamilies(dir));
    names.addAll(columnFamilies);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : names) {
      descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(name), cfOptions));
    }
    handles = new ArrayList<>();
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      cfOptions.close();
      dbOptions.close();
      writeOptions.close();
      memoryOnly.close();
      throw new StoreException("open " + dir, e);
    }
    int i = 0;
    for (String name : names) {
      families.put(name, new ColumnFamily(name, handles.get(i++)));
    }
    writer = new Thread(this::writeLoop, "eventplane-store-writer");
    writer.setDaemon(true);
    writer.start();
    if (durability == Durability.INTERVAL) {
      syncer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "eventplane-store-syncer");
                t.setDaemon(true);
                return t;
              });
      syncer.scheduleWithFixedDelay(this::syncQuietly, syncIntervalMillis, syncIntervalMillis, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  public static Store open(Path dir, Durability durability, long syncIntervalMillis, List<String> columnFamilies) {
    return new Store(dir, durability, syncIntervalMillis, columnFamilies);
  }

  /** Our settings, then whatever {@link #DB_OPTIONS_PROPERTY} names on top of them. */
  static DBOptions dbOptions(String extra) {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("create_if_missing", "true");
    props.setProperty("create_missing_column_families", "true");
    props.setProperty("max_background_jobs", "2");
    props.setProperty("keep_log_file_num", "4");
    // The writer flushes the WAL buffer itself once per group (one write(2) for the group instead of
    // one per batch): 25 vs 36 us of writer CPU per commit (docs/benchmarks.md, "Issue 12: the tail").
    props.setProperty("manual_wal_flush", "true");
    for (String option : extra.split(";")) {
      if (option.isBlank()) continue;
      int eq = option.indexOf('=');
      if (eq < 1) throw new StoreException("options", new IllegalArgumentException("not name=value: " + option));
      props.setProperty(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    DBOptions options = DBOptions.getDBOptionsFromProps(props);
    if (options == null) {
      throw new StoreException("options", new IllegalArgumentException("RocksDB refused DB options " + props));
    }
    return options;
  }

  private static List<String> existingFamilies(Path dir) {
    if (!Files.exists(dir.resolve("CURRENT"))) return List.of();
    try (org.rocksdb.Options options = new org.rocksdb.Options()) {
      List<String> names = new ArrayList<>();
      for (byte[] n : RocksDB.listColumnFamilies(options, dir.toString())) names.add(new String(n));
      return names;
    } catch (RocksDBException e) {
      throw new StoreException("list column families in " + dir, e);
    }
  }

  public Path directory() {
    return dir;
  }

  public Durability durability() {
    return durability;
  }

  public ColumnFamily columnFamily(String name) {
    ColumnFamily cf = families.get(name);
    if (cf == null) throw new IllegalArgumentException("no column family " + name + " in store " + dir);
    return cf;
  }

  public Batch batch() {
    return new Batch();
  }

  /** Rebuilds a batch from the portable log another node's {@link Batch#log()} produced. */
  public Batch batchFromLog(byte[] log) {
    Batch batch = new Batch();
    Batch.readLog(log, (kind, cf, key, value) -> {
      ColumnFamily family = columnFamily(cf);
      switch (kind) {
        case Batch.PUT -> batch.put(family, key, value);
        case Batch.DELETE -> batch.delete(family, key);
        case Batch.DELETE_RANGE -> batch.deleteRange(family, key, value);
        default -> throw new StoreException("batch log", new IllegalArgumentException("operation " + kind));
      }
    });
    return batch;
  }

  /**
   * Completes, on the writer thread, once every commit submitted before it has been applied, with
   * a consistent point-in-time view of the store at that moment. The caller closes the view.
   */
  public CompletableFuture<StoreView> viewAfterPending() {
    CompletableFuture<StoreView> view = new CompletableFuture<>();
    Batch marker = new Batch();
    pending.add(new PendingWrite(marker, null, null, null, view, System.nanoTime()));
    return view;
  }

  /** A point-in-time read-only view (a RocksDB snapshot). Scans may run on any non-event-loop thread. */
  public final class StoreView implements AutoCloseable {
    private final org.rocksdb.Snapshot snapshot;

    private StoreView(org.rocksdb.Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    /** Visits keys in [from, to) as of the view, in order, until the visitor returns false. */
    public void scanRange(ColumnFamily cf, byte[] from, byte[] to, BiPredicate<byte[], byte[]> visitor) {
      checkNotOnEventLoop();
      try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
          RocksIterator it = db.newIterator(cf.handle, ro)) {
        for (it.seek(from); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (java.util.Arrays.compareUnsigned(key, to) >= 0) break;
          if (!visitor.test(key, it.value())) break;
        }
        it.status();
      } catch (RocksDBException e) {
        throw new StoreException("snapshot scan in " + cf.name(), e);
      }
    }

    @Override
    public void close() {
      db.releaseSnapshot(snapshot);
    }
  }

  /**
   * Applies the batch atomically; the future completes on {@code context} when the batch is durable
   * per the store's mode. Everything a context committed in one group completes in one task of that
   * context, in submission order (one wake-up of its event loop per group, not one per commit). The
   * store owns the batch from here on and closes it.
   */
  public Future<Void> commit(Batch batch, Context context) {
    Promise<Void> promise = Promise.promise();
    if (closed) {
      batch.close();
      promise.fail(new StoreException("commit", new IllegalStateException("store is closed")));
      return promise.future();
    }
    pending.add(new PendingWrite(batch, context, promise, null, null, System.nanoTime()));
    return promise.future();
  }

  /**
   * Applies the batch atomically; the future completes on the writer thread when it is durable per
   * the store's mode, so its dependants run there: for callers without a context of their own
   * (replication, start-up loads). The store owns the batch from here on and closes it.
   */
  public CompletableFuture<Void> commit(Batch batch) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      batch.close();
      done.completeExceptionally(new StoreException("commit", new IllegalStateException("store is closed")));
      return done;
    }
    pending.add(new PendingWrite(batch, done));
    return done;
  }

  public byte[] get(ColumnFamily cf, byte[] key) {
    checkNotOnEventLoop();
    try {
      return db.get(cf.handle, key);
    } catch (RocksDBException e) {
      throw new StoreException("get in " + cf.name(), e);
    }
  }

  public List<byte[]> multiGet(ColumnFamily cf, List<byte[]> keys) {
    checkNotOnEventLoop();
    if (keys.isEmpty()) return List.of();
    try {
      return db.multiGetAsList(Collections.nCopies(keys.size(), cf.handle), keys);
    } catch (RocksDBException e) {
      throw new StoreException("multiGet in " + cf.name(), e);
    }
  }

  /**
   * Reads the keys on the calling context where memory has them (memtable, block cache), and only
   * the rest on a worker, in one {@link #multiGet}; completes on the context, values in key order
   * (null for a missing key). Meant for event loops: the memory read does no file I/O at all (see
   * {@link #getFromMemory}), so it costs what a map lookup under RocksDB's locks costs.
   */
  public Future<List<byte[]>> multiGetMemoryFirst(ColumnFamily cf, List<byte[]> keys, Context context) {
    List<byte[]> out = new ArrayList<>(keys.size());
    List<Integer> onDisk = null;
    for (int i = 0; i < keys.size(); i++) {
      byte[] v = getFromMemory(cf, keys.get(i));
      if (v == ON_DISK) {
        if (onDisk == null) onDisk = new ArrayList<>();
        onDisk.add(i);
        v = null;
      }
      out.add(v);
    }
    memoryReads.addAndGet(keys.size() - (onDisk == null ? 0 : onDisk.size()));
    if (onDisk == null) return Future.succeededFuture(out);
    diskReads.addAndGet(onDisk.size());
    List<Integer> missed = onDisk;
    List<byte[]> missedKeys = new ArrayList<>(missed.size());
    for (int i : missed) missedKeys.add(keys.get(i));
    return context.executeBlocking(() -> multiGet(cf, missedKeys), false).map(read -> {
      for (int j = 0; j < missed.size(); j++) out.set(missed.get(j), read.get(j));
      return out;
    });
  }

  /** {@link #multiGetMemoryFirst} for one key. */
  public Future<byte[]> getMemoryFirst(ColumnFamily cf, byte[] key, Context context) {
    byte[] v = getFromMemory(cf, key);
    if (v != ON_DISK) {
      memoryReads.incrementAndGet();
      return Future.succeededFuture(v);
    }
    diskReads.incrementAndGet();
    return context.executeBlocking(() -> get(cf, key), false);
  }

  /** Stands for a value only a file read could give. */
  private static final byte[] ON_DISK = new byte[0];

  /**
   * The value from memory, null when memory proves the key absent (a memtable tombstone, a bloom
   * filter, an index block in cache), or {@link #ON_DISK}. Allowed on an event loop: with the
   * block-cache tier RocksDB answers Incomplete rather than open, read or wait for a file. (Not
   * multiGet: here RocksJava's multiGetAsList at this tier returned the values of a just-opened store,
   * so it read files, and it reports a key's Incomplete as null, like a missing key.)
   */
  private byte[] getFromMemory(ColumnFamily cf, byte[] key) {
    try {
      return db.get(cf.handle, memoryOnly, key);
    } catch (RocksDBException e) {
      if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Incomplete) return ON_DISK;
      throw new StoreException("memory get in " + cf.name(), e);
    }
  }

  /** Reads {@link #getMemoryFirst} and {@link #multiGetMemoryFirst} answered from memory. */
  public long memoryReadCount() {
    return memoryReads.get();
  }

  /** Reads {@link #getMemoryFirst} and {@link #multiGetMemoryFirst} had to send to a worker. */
  public long diskReadCount() {
    return diskReads.get();
  }

  /** Visits keys with the prefix in order until the visitor returns false. */
  public void scan(ColumnFamily cf, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    scanRange(cf, prefix, Keys.prefixEnd(prefix), visitor);
  }

  /** Visits keys in [from, to) in order until the visitor returns false. */
  public void scanRange(ColumnFamily cf, byte[] from, byte[] to, BiPredicate<byte[], byte[]> visitor) {
    checkNotOnEventLoop();
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(cf.handle, ro)) {
      for (it.seek(from); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (java.util.Arrays.compareUnsigned(key, to) >= 0) break;
        if (!visitor.test(key, it.value())) break;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("scan in " + cf.name(), e);
    }
  }

  /** Removes every key of the column family (dev-mode reset). Durable like any commit. */
  public CompletableFuture<Void> clear(ColumnFamily cf) {
    checkNotOnEventLoop();
    byte[][] bounds = new byte[2][];
    try (RocksIterator it = db.newIterator(cf.handle)) {
      it.seekToFirst();
      if (!it.isValid()) return CompletableFuture.completedFuture(null);
      bounds[0] = it.key();
      it.seekToLast();
      byte[] last = it.key();
      bounds[1] = java.util.Arrays.copyOf(last, last.length + 1);
    }
    Batch batch = batch().deleteRange(cf, bounds[0], bounds[1]);
    return commit(batch);
  }

  public long fsyncCount() {
    return fsyncs.get();
  }

  public long commitCount() {
    return commits.get();
  }

  /** Tasks the writer submitted to contexts to complete commits: at most one per context per group. */
  public long completionTaskCount() {
    return completionTasks.get();
  }

  /** Who hears of each committed group from now on (one listener: the node's metrics). */
  public void listenToCommits(CommitListener listener) {
    this.commitListener = listener;
  }

  /**
   * A RocksDB integer property summed over the column families ({@code rocksdb.estimate-live-data-size},
   * {@code rocksdb.estimate-pending-compaction-bytes}). Reads RocksDB: never on an event loop.
   */
  public long aggregatedProperty(String name) {
    // A scrape racing the node's close must not reach a closed native handle.
    if (closed) throw new StoreException("read property " + name, new IllegalStateException("store is closed"));
    checkNotOnEventLoop();
    try {
      return db.getAggregatedLongProperty(name);
    } catch (RocksDBException e) {
      throw new StoreException("read property " + name, e);
    }
  }

  /** Queue wait, apply and fsync times and group sizes of the writer so far. */
  public CommitStats commitStats() {
    return stats;
  }

  private void writeLoop() {
    List<PendingWrite> group = new ArrayList<>(MAX_GROUP);
    while (true) {
      try {
        group.add(pending.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      pending.drainTo(group, MAX_GROUP - 1);
      GroupCommitEvent event = new GroupCommitEvent();
      event.begin();
      long taken = System.nanoTime();
      long longestWait = 0;
      boolean stop = false;
      Throwable[] failures = new Throwable[group.size()];
      int written = 0;
      for (int i = 0; i < group.size(); i++) {
        PendingWrite w = group.get(i);
        if (w == STOP) {
          stop = true;
          continue;
        }
        long waited = taken - w.enqueuedNanos;
        longestWait = Math.max(longestWait, waited);
        stats.record(CommitStats.Measure.QUEUE_WAIT_US, waited / 1000);
        if (w.view != null) {
          w.batch.close();
          w.view.complete(new StoreView(db.getSnapshot()));
          continue;
        }
        try {
          db.write(writeOptions, w.batch.writeBatch);
          written++;
        } catch (RocksDBException | RuntimeException e) {
          failures[i] = new StoreException("write", e);
        } finally {
          w.batch.close();
        }
      }
      long applied = System.nanoTime();
      Throwable syncFailure = null;
      boolean sync = durability == Durability.FSYNC;
      if ((sync || manualWalFlush) && written > 0) {
        try {
          // With manual_wal_flush the group's WAL records are still in RocksDB's buffer: one write
          // (and one fsync) for the whole group instead of one write per batch.
          if (manualWalFlush) db.flushWal(sync);
          else db.syncWal();
          if (sync) fsyncs.incrementAndGet();
        } catch (RocksDBException e) {
          syncFailure = new StoreException(sync ? "fsync WAL" : "flush WAL", e);
        }
      }
      long synced = System.nanoTime();
      if (written > 0) {
        stats.record(CommitStats.Measure.APPLY_US, (applied - taken) / 1000);
        if (sync) stats.record(CommitStats.Measure.FSYNC_US, (synced - applied) / 1000);
        stats.record(CommitStats.Measure.GROUP_SIZE, written);
        CommitListener listener = commitListener;
        if (listener != null) listener.groupCommitted(written, sync ? synced - applied : -1);
        if (event.shouldCommit()) {
          event.groupSize = written;
          event.queueWait = longestWait;
          event.apply = applied - taken;
          event.sync = synced - applied;
          event.commit();
        }
      }
      Throwable groupFailure = syncFailure;
      // Everything done is settled in one go: each waiting context gets one task for the group.
      ContextCompletions.batching(() -> {
        for (int i = 0; i < group.size(); i++) {
          PendingWrite w = group.get(i);
          if (w == STOP || w.view != null) continue;
          if (failures[i] == null) commits.incrementAndGet();
          w.finish(failures[i] != null ? failures[i] : groupFailure);
        }
      }, completionTasks);
      group.clear();
      if (stop) return;
    }
  }

  private void syncQuietly() {
    try {
      db.syncWal();
      fsyncs.incrementAndGet();
    } catch (RocksDBException e) {
      LOG.log(Level.WARNING, "interval fsync of WAL failed in store " + dir, e);
    }
  }

  /**
   * The rule behind the reads that may block: a read that can touch a file (get, multiGet, scans)
   * never runs on an event loop. Only {@link #getFromMemory} skips this check, because RocksDB
   * guarantees it no file I/O.
   */
  private static void checkNotOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("RocksDB read on an event-loop thread");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    pending.add(STOP);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (syncer != null) syncer.shutdownNow();
    try {
      if (manualWalFlush) db.flushWal(true);
      else db.syncWal();
    } catch (RocksDBException e) {
      LOG.log(Level.WARNING, "final WAL fsync failed in store " + dir, e);
    }
    // Straight to stderr: on SIGTERM this runs in the server's shutdown hook, after JUL's own hook
    // may already have closed its handlers. The server's launcher turns it on; in-process stores
    // (tests, tools) stay quiet unless asked.
    if (commits.get() > 0 && Boolean.getBoolean(PRINT_COMMIT_STATS)) System.err.print("group commit in store " + dir + " (" + durability + "):\n" + stats.summary());
    for (ColumnFamilyHandle h : handles) h.close();
    db.close();
    memoryOnly.close();
    writeOptions.close();
    dbOptions.close();
    cfOptions.close();
  }
}
