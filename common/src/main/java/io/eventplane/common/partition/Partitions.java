package io.eventplane.common.partition;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The fixed split of every service's key space into {@link #COUNT} partitions. A resource (a queue,
 * later a topic, a function...) belongs to the partition its name hashes to; every store key of a
 * partitioned column family starts with the partition number (two bytes, big-endian), so a
 * partition is one contiguous key range in each column family: the unit that is placed on a node,
 * replicated, and copied whole when a replica catches up.
 */
public final class Partitions {
  public static final int COUNT = 64;

  private Partitions() {}

  /** The partition of a resource, by a stable hash of its service-qualified name. */
  public static int of(String service, String account, String name) {
    CRC32 crc = new CRC32();
    crc.update((service + '/' + account + '/' + name).getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % COUNT);
  }

  /** The two-byte key prefix of a partition. */
  public static byte[] prefix(int partition) {
    return new byte[] {(byte) (partition >>> 8), (byte) partition};
  }

  /** The first key after the partition's range. */
  public static byte[] end(int partition) {
    return prefix(partition + 1);
  }

  public static int ofKey(byte[] key) {
    return ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
  }
}
