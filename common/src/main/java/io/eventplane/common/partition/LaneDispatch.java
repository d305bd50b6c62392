package io.eventplane.common.partition;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * Where a request to a service with lanes goes, decided on the caller's thread (the gateway's
 * event loop) so the request reaches the context that owns its partition in one hop: this node's
 * lane for the partition, or, for a service whose lanes answer forwarded requests exactly as they
 * answer their own node's ({@link #toOwners}), the owning lane on the node that owns the partition.
 * A request that names no partition goes to a random lane of this node, which answers it or fans out.
 */
public final class LaneDispatch {
  private final String address;
  private final int lanes;
  private final ToIntFunction<ApiRequest> partitionOf;
  /** Null: every request goes to a lane of this node, which forwards it when another node owns it. */
  private final Placement placement;
  private final NodeCalls calls;

  /**
   * @param address the service's address ({@code Contracts.SQS})
   * @param lanes how many lanes the service runs on each node
   * @param partitionOf the partition a request is about, or {@link PartitionRouter#ANY}; cheap and
   *     thread-safe (it runs on every event loop)
   */
  public LaneDispatch(String address, int lanes, ToIntFunction<ApiRequest> partitionOf) {
    this(address, lanes, partitionOf, null, null);
  }

  private LaneDispatch(String address, int lanes, ToIntFunction<ApiRequest> partitionOf, Placement placement, NodeCalls calls) {
    this.address = Objects.requireNonNull(address, "address");
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.lanes = lanes;
    this.partitionOf = Objects.requireNonNull(partitionOf, "partitionOf");
    this.placement = placement;
    this.calls = calls;
  }

  /**
   * A dispatch that sends a request about a partition another node owns straight to the owning
   * lane there, saving this node's lane the pass-through (two thread hand-offs each way). Only for
   * a service whose lanes run a forwarded request (their node address) exactly as they would run it
   * for a client of their own node once it reached the owner.
   */
  public static LaneDispatch toOwners(Vertx vertx, String address, int lanes, ToIntFunction<ApiRequest> partitionOf,
      Placement placement) {
    Objects.requireNonNull(placement, "placement");
    NodeCalls calls = new NodeCalls(vertx, address, Map.of(), lanes);
    placement.onMemberLeft(calls::nodeLeft);
    return new LaneDispatch(address, lanes, partitionOf, placement, calls);
  }

  /**
   * Where one request goes.
   *
   * @param laneAddress the local address of this node's lane for the request (where it goes when
   *     {@code owner} is null, and where it falls back to when the owner cannot settle it)
   * @param owner the other node that owns the request's partition, or null
   * @param partition the request's partition, or {@link PartitionRouter#ANY}
   */
  public record Route(String laneAddress, String owner, int partition) {}

  public Route routeOf(ApiRequest request) {
    int partition = partitionOf.applyAsInt(request);
    int lane = partition < 0 ? ThreadLocalRandom.current().nextInt(lanes) : Lanes.of(partition, lanes);
    String owner = null;
    if (placement != null && partition >= 0) {
      String o = placement.ownerOf(partition);
      if (o != null && !o.equals(placement.self())) owner = o;
    }
    return new Route(Lanes.address(address, lane), owner, partition);
  }

  /** The local address of the lane of this node that serves the request. */
  public String addressOf(ApiRequest request) {
    return routeOf(request).laneAddress();
  }

  /**
   * Sends the request to the owning lane on {@code route.owner()}: its reply as it is, or the bus
   * failure (no handler there, the node left, a timeout) as a failed future.
   */
  public Future<ApiReply> forward(Route route, ApiRequest request, long timeoutMillis) {
    if (route.owner() == null || calls == null) throw new IllegalStateException("no other node to forward to: " + route);
    return calls.request(route.owner(), route.partition(), request, timeoutMillis);
  }
}
