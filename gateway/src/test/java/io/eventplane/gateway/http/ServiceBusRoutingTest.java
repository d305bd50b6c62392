package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.partition.LaneDispatch;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the gateway sends a request to a service whose lanes may be reached at the owner: straight
 * to the owning lane of the node that owns the partition, to this node's lane when this node owns
 * it (or nobody does, or it names no partition), and back to this node's lane (which forwards and
 * retries) when the owner cannot settle it. One Vert.x plays both nodes: node addresses are
 * ordinary consumers, each recording what reached it.
 */
class ServiceBusRoutingTest {
  private static final String SQS = Contracts.SQS;
  private static final int LANES = 2;

  private Vertx vertx;
  private ServiceBus bus;
  private final Map<Integer, String> owners = new ConcurrentHashMap<>();
  private final List<Consumer<String>> leftListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Which address answered each request, in order. */
  private final Queue<String> reached = new ConcurrentLinkedQueue<>();

  private final Placement placement = new Placement() {
    @Override
    public String self() {
      return "n0";
    }

    @Override
    public String ownerOf(int partition) {
      return owners.get(partition);
    }

    @Override
    public List<String> members() {
      return List.of("n0", "n1");
    }

    @Override
    public Future<Void> register(PartitionListener listener, Context context, IntPredicate partitions) {
      return Future.succeededFuture();
    }

    @Override
    public void onMemberLeft(Consumer<String> listener) {
      leftListeners.add(listener);
    }
  };

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    LaneDispatch dispatch = LaneDispatch.toOwners(vertx, SQS, LANES, r -> r.input().getInteger("p", PartitionRouter.ANY), placement);
    bus = new ServiceBus(vertx.eventBus(), Duration.ofSeconds(5), Map.of(SQS, dispatch));
    for (int lane = 0; lane < LANES; lane++) answer(Lanes.address(SQS, lane), ApiReply.ok(new JsonObject().put("by", "local")));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void answer(String address, ApiReply reply) {
    vertx.eventBus().<ApiRequest>consumer(address, m -> {
      reached.add(address);
      m.reply(reply);
    }).completion().await();
  }

  private ApiReply call(int partition) throws Exception {
    JsonObject input = new JsonObject();
    if (partition >= 0) input.put("p", partition);
    ApiRequest request = new ApiRequest("SendMessage", input, new RequestContext("000000000000", "us-east-1", "r", "http://x"));
    return bus.call(SqsJsonProtocol.BINDING, request).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPartitionAnotherNodeOwnsGoesStraightToItsOwningLane() throws Exception {
    owners.put(5, "n1");
    answer(Lanes.nodeAddress(SQS, 1, "n1"), ApiReply.ok(new JsonObject().put("by", "owner")));

    ApiReply reply = call(5);

    assertThat(reply.output().getString("by")).isEqualTo("owner");
    assertThat(reached).containsExactly(Lanes.nodeAddress(SQS, 1, "n1"));
  }

  @Test
  void aPartitionThisNodeOwnsOrNobodyOwnsOrNoPartitionGoesToThisNodesLane() throws Exception {
    owners.put(4, "n0");
    assertThat(call(4).output().getString("by")).isEqualTo("local");
    assertThat(call(7).output().getString("by")).isEqualTo("local");
    assertThat(call(PartitionRouter.ANY).output().getString("by")).isEqualTo("local");
    assertThat(reached).hasSize(3);
    assertThat(reached.poll()).isEqualTo(Lanes.address(SQS, 0));
    assertThat(reached.poll()).isEqualTo(Lanes.address(SQS, 1));
  }

  @Test
  void anOwnerThatLetThePartitionGoSendsTheRequestBackThroughThisNodesLane() throws Exception {
    owners.put(3, "n1");
    answer(Lanes.nodeAddress(SQS, 1, "n1"), ApiReply.failed(ServiceError.unavailable("not the owner any more")));

    ApiReply reply = call(3);

    assertThat(reply.output().getString("by")).isEqualTo("local");
    assertThat(reached).containsExactly(Lanes.nodeAddress(SQS, 1, "n1"), Lanes.address(SQS, 1));
  }

  @Test
  void anOwnersAwsErrorReachesTheClientAsItIs() throws Exception {
    owners.put(3, "n1");
    answer(Lanes.nodeAddress(SQS, 1, "n1"), ApiReply.failed(new ServiceError("AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.", io.eventplane.common.error.Fault.SENDER)));

    ApiReply reply = call(3);

    assertThat(reply.succeeded()).isFalse();
    assertThat(reply.error().code()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(reached).containsExactly(Lanes.nodeAddress(SQS, 1, "n1"));
  }

  @Test
  void anOwnerNobodyAnswersForFallsBackToThisNodesLane() throws Exception {
    owners.put(2, "n1");   // nothing listens at n1's lane 0

    ApiReply reply = call(2);

    assertThat(reply.output().getString("by")).isEqualTo("local");
    assertThat(reached).containsExactly(Lanes.address(SQS, 0));
  }

  @Test
  void aCallInFlightToANodeThatLeavesFallsBackAtOnce() throws Exception {
    owners.put(1, "n1");
    java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(1);
    vertx.eventBus().<ApiRequest>consumer(Lanes.nodeAddress(SQS, 1, "n1"), m -> {
      reached.add("n1 took it, never answers");
      taken.countDown();
    }).completion().await();
    Future<ApiReply> pending = bus.call(SqsJsonProtocol.BINDING, new ApiRequest("SendMessage", new JsonObject().put("p", 1),
        new RequestContext("000000000000", "us-east-1", "r", "http://x")));
    assertThat(taken.await(5, TimeUnit.SECONDS)).isTrue();

    leftListeners.forEach(l -> l.accept("n1"));

    assertThat(pending.await(2, TimeUnit.SECONDS).output().getString("by")).isEqualTo("local");
  }
}
