package io.eventplane.common.partition;

import io.eventplane.common.bus.ApiRequest;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * Where a request to a service with lanes goes on this node, decided on the caller's thread (the
 * gateway's event loop) so the request reaches the context that owns its partition in one hop.
 * A request that names no partition goes to a random lane, which answers it or fans out.
 *
 * @param address the service's address ({@code Contracts.SQS})
 * @param lanes how many lanes the service runs on this node
 * @param partitionOf the partition a request is about, or {@link PartitionRouter#ANY}; cheap and
 *     thread-safe (it runs on every event loop)
 */
public record LaneDispatch(String address, int lanes, ToIntFunction<ApiRequest> partitionOf) {
  public LaneDispatch {
    Objects.requireNonNull(address, "address");
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    Objects.requireNonNull(partitionOf, "partitionOf");
  }

  /** The local address of the lane that serves the request. */
  public String addressOf(ApiRequest request) {
    int partition = partitionOf.applyAsInt(request);
    int lane = partition < 0 ? ThreadLocalRandom.current().nextInt(lanes) : Lanes.of(partition, lanes);
    return Lanes.address(address, lane);
  }
}
