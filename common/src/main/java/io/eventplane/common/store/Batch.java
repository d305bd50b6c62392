package io.eventplane.common.store;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The changes of one request, applied atomically by {@link Store#commit(Batch)}. Not thread-safe:
 * build it on one thread, then hand it to the store, which owns and closes it.
 */
public final class Batch implements AutoCloseable {
  final WriteBatch writeBatch = new WriteBatch();
  private int operations;

  public Batch put(ColumnFamily cf, byte[] key, byte[] value) {
    try {
      writeBatch.put(cf.handle, key, value);
    } catch (RocksDBException e) {
      throw new StoreException("batch put in " + cf.name(), e);
    }
    operations++;
    return this;
  }

  public Batch delete(ColumnFamily cf, byte[] key) {
    try {
      writeBatch.delete(cf.handle, key);
    } catch (RocksDBException e) {
      throw new StoreException("batch delete in " + cf.name(), e);
    }
    operations++;
    return this;
  }

  /** Deletes every key in [from, to). */
  public Batch deleteRange(ColumnFamily cf, byte[] from, byte[] to) {
    try {
      writeBatch.deleteRange(cf.handle, from, to);
    } catch (RocksDBException e) {
      throw new StoreException("batch deleteRange in " + cf.name(), e);
    }
    operations++;
    return this;
  }

  public Batch deletePrefix(ColumnFamily cf, byte[] prefix) {
    return deleteRange(cf, prefix, Keys.prefixEnd(prefix));
  }

  public boolean isEmpty() {
    return operations == 0;
  }

  public int size() {
    return operations;
  }

  @Override
  public void close() {
    writeBatch.close();
  }
}
