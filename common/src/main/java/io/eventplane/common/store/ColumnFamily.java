package io.eventplane.common.store;

import org.rocksdb.ColumnFamilyHandle;

/** One service's key space in the node's store. Handles are owned and closed by {@link Store}. */
public final class ColumnFamily {
  private final String name;
  final ColumnFamilyHandle handle;

  ColumnFamily(String name, ColumnFamilyHandle handle) {
    this.name = name;
    this.handle = handle;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "ColumnFamily[" + name + "]";
  }
}
