package io.eventplane.common.cluster.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Rendezvous (highest-random-weight) hashing: every node gets a score per partition and the
 * partition prefers nodes by score. Balanced, and a node joining or leaving moves only the
 * partitions it wins or held.
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** The nodes in the order the partition prefers them. */
  public static List<String> ranking(int partition, Collection<String> nodes) {
    List<String> out = new ArrayList<>(nodes);
    out.sort(Comparator.comparingLong((String n) -> score(partition, n)).reversed().thenComparing(n -> n));
    return out;
  }

  private static long score(int partition, String node) {
    CRC32 crc = new CRC32();
    crc.update((node + "#" + partition).getBytes(StandardCharsets.UTF_8));
    long h = crc.getValue() * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }
}
