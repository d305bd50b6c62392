package io.eventplane.common.store;

import java.util.Locale;

/** When an acknowledged write reaches the disk. */
public enum Durability {
  /** The WAL is fsynced before a write completes; concurrent writes share one fsync (group commit). */
  FSYNC,
  /** The WAL is fsynced on a background interval; a power loss may drop the last interval, a kill -9 does not. */
  INTERVAL,
  /** The WAL is written to the OS but never fsynced by us; survives kill -9, not a power loss. */
  NONE;

  public static Durability parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("durability must be one of fsync, interval, none: " + value);
    }
  }
}
