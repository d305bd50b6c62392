package io.eventplane.common.partition;

/**
 * The split of a node's partitioned service into lanes: N contexts, each owning the state of the
 * partitions {@code p % N == lane} and nothing else, so a node's partitions use all its cores
 * without locks and one hot partition stalls only its own lane. Every node of a cluster uses the
 * same N (the {@code serviceThreads} setting), so the node that forwards a request can name the
 * lane that serves it on the owner.
 */
public final class Lanes {
  private Lanes() {}

  /** The lane that owns a partition; lane 0 for a request that names none ({@link PartitionRouter#ANY}). */
  public static int of(int partition, int count) {
    return partition < 0 ? 0 : partition % count;
  }

  /** The local address of one lane of a service ({@code eventplane.sqs.lane.1}). */
  public static String address(String serviceAddress, int lane) {
    return serviceAddress + ".lane." + lane;
  }

  /** The cluster-wide address of a lane of the service on a node, for requests forwarded there. */
  public static String nodeAddress(String serviceAddress, int lane, String node) {
    return Placement.nodeAddress(address(serviceAddress, lane), node);
  }
}
