package io.eventplane.common.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The changes of one request, applied atomically by {@link Store#commit(Batch)}. Not thread-safe:
 * build it on one thread, then hand it to the store, which owns and closes it.
 *
 * <p>A batch also keeps a portable log of its operations (column family by name, not by RocksDB
 * id), which {@link #log()} returns and {@link Store#batchFromLog} replays on another node: that is
 * what replication ships. The log is written only when asked for (a single node never asks): until
 * then the batch keeps references to the keys and values it was given, so a caller must not change
 * an array after adding it.
 */
public final class Batch implements AutoCloseable {
  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final byte DELETE_RANGE = 3;

  final WriteBatch writeBatch = new WriteBatch();
  /** The operations for {@link #log()}; serialized only if a replica needs them. */
  private final java.util.ArrayList<Operation> operations = new java.util.ArrayList<>(4);

  private record Operation(byte kind, String columnFamily, byte[] key, byte[] value) {
    int logBytes() {
      return 1 + 1 + columnFamily.length() * 3 + 4 + key.length + 4 + (value == null ? 0 : value.length);
    }
  }

  public Batch put(ColumnFamily cf, byte[] key, byte[] value) {
    try {
      writeBatch.put(cf.handle, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("batch put in " + cf.name(), e);
    }
    operations.add(new Operation(PUT, cf.name(), key, value));
    return this;
  }

  public Batch delete(ColumnFamily cf, byte[] key) {
    try {
      writeBatch.delete(cf.handle, key);
    } catch (RocksDBException e) {
      throw new StoreException("batch delete in " + cf.name(), e);
    }
    operations.add(new Operation(DELETE, cf.name(), key, null));
    return this;
  }

  /** Deletes every key in [from, to). */
  public Batch deleteRange(ColumnFamily cf, byte[] from, byte[] to) {
    try {
      writeBatch.deleteRange(cf.handle, from, to);
    } catch (RocksDBException e) {
      throw new StoreException("batch deleteRange in " + cf.name(), e);
    }
    operations.add(new Operation(DELETE_RANGE, cf.name(), from, to));
    return this;
  }

  public Batch deletePrefix(ColumnFamily cf, byte[] prefix) {
    return deleteRange(cf, prefix, Keys.prefixEnd(prefix));
  }

  public boolean isEmpty() {
    return operations.isEmpty();
  }

  public int size() {
    return operations.size();
  }

  /** The portable form of the operations added so far. */
  public byte[] log() {
    int bytes = 0;
    for (Operation op : operations) bytes += op.logBytes();
    LogWriter log = new LogWriter(bytes);
    for (Operation op : operations) log.op(op.kind, op.columnFamily, op.key, op.value);
    return log.toByteArray();
  }

  @Override
  public void close() {
    writeBatch.close();
  }

  /** Visits the operations of a batch log in order. */
  public interface LogVisitor {
    void operation(byte kind, String columnFamily, byte[] key, byte[] valueOrEnd);
  }

  /** Replays a log produced by {@link #log()}. */
  public static void readLog(byte[] log, LogVisitor visitor) {
    ByteBuffer b = ByteBuffer.wrap(log);
    while (b.hasRemaining()) {
      byte kind = b.get();
      byte[] cf = new byte[b.get() & 0xFF];
      b.get(cf);
      byte[] key = new byte[b.getInt()];
      b.get(key);
      int vlen = b.getInt();
      byte[] value = null;
      if (vlen >= 0) {
        value = new byte[vlen];
        b.get(value);
      }
      visitor.operation(kind, new String(cf, StandardCharsets.UTF_8), key, value);
    }
  }

  /** Builds a batch log of puts without a RocksDB batch: a snapshot chunk on its way to a replica. */
  public static final class PutLog {
    private final LogWriter log = new LogWriter();

    public void put(String columnFamily, byte[] key, byte[] value) {
      log.op(PUT, columnFamily, key, value);
    }

    public int size() {
      return log.size();
    }

    public byte[] bytes() {
      return log.toByteArray();
    }
  }

  private static final class LogWriter extends ByteArrayOutputStream {
    LogWriter() {
      super(64);
    }

    /** Sized for what will be written (an upper bound), so it never grows. */
    LogWriter(int capacity) {
      super(capacity);
    }

    void op(byte kind, String cf, byte[] key, byte[] value) {
      byte[] name = cf.getBytes(StandardCharsets.UTF_8);
      write(kind);
      write(name.length);
      write(name, 0, name.length);
      writeInt(key.length);
      write(key, 0, key.length);
      writeInt(value == null ? -1 : value.length);
      if (value != null) write(value, 0, value.length);
    }

    private void writeInt(int v) {
      write(v >>> 24);
      write(v >>> 16);
      write(v >>> 8);
      write(v);
    }
  }
}
