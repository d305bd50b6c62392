package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Store;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this node's copy of each partition goes: the (epoch, sequence) of the last batch it
 * applied, written in the same store batch as the data (column family {@value #COLUMN_FAMILY}), so
 * the position is exactly as durable as what it describes. After a whole-cluster restart the
 * coordinator gives each partition to the node with the furthest copy.
 */
public final class PartitionPositions {
  public static final String COLUMN_FAMILY = "partitions";
  private final ColumnFamily cf;
  private final Map<Integer, Position> positions = new ConcurrentHashMap<>();

  public PartitionPositions(Store store) {
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** Reads the stored positions. Blocking. */
  public void load(Store store) {
    store.scanRange(cf, new byte[] {0, 0}, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, (k, v) -> {
      ByteBuffer b = ByteBuffer.wrap(v);
      positions.put(Partitions.ofKey(k), new Position(b.getLong(), b.getLong()));
      return true;
    });
  }

  /** Adds the position to a batch of the partition. */
  public void record(Batch batch, int partition, Position position) {
    batch.put(cf, Partitions.prefix(partition), ByteBuffer.allocate(16).putLong(position.epoch()).putLong(position.seq()).array());
    positions.put(partition, position);
  }

  /** Blocking: the partition's stored position as of the view (what a snapshot taken there contains). */
  Position read(Store.StoreView view, int partition) {
    Position[] found = {new Position(0, 0)};
    view.scanRange(cf, Partitions.prefix(partition), Partitions.end(partition), (k, v) -> {
      ByteBuffer b = ByteBuffer.wrap(v);
      found[0] = new Position(b.getLong(), b.getLong());
      return false;
    });
    return found[0];
  }

  public Position get(int partition) {
    return positions.getOrDefault(partition, new Position(0, 0));
  }

  public Map<Integer, Position> all() {
    return new HashMap<>(positions);
  }
}
