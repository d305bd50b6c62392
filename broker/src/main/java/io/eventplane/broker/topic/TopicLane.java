package io.eventplane.broker.topic;

import io.eventplane.broker.topic.api.TopicApi;
import io.eventplane.broker.topic.api.TopicRequestPartitions;
import io.eventplane.broker.topic.delivery.ApplicationChannel;
import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.delivery.DeliveryPermissions;
import io.eventplane.broker.topic.delivery.HttpChannel;
import io.eventplane.broker.topic.delivery.LambdaChannel;
import io.eventplane.broker.topic.delivery.QueueSender;
import io.eventplane.broker.topic.delivery.SmsChannel;
import io.eventplane.broker.topic.delivery.SqsChannel;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.Lanes;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.partition.ServiceLane;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lane of a node's SNS service: the topics (with their subscriptions) of the partitions
 * {@code p % lanes == lane}, their pending deliveries, retry timers and deduplication sweep, on a
 * context of their own. Requests arrive at the lane's local address straight from the gateway's
 * event loop, at its node address from other nodes, and at {@link Contracts#SNS} from other
 * services of this node (Vert.x spreads those over the lanes; a lane passes one that is not its
 * own to the owning lane). Everything about a topic is decided by its partition's lane, because a
 * subscription lives in its topic; the only reads across partitions are the listings
 * ({@link TopicListings}) and the node's signing certificate, which is the node's, not a lane's.
 */
final class TopicLane extends VerticleBase implements PartitionListener, ServiceLane {
  /** At FINEST, one record per operation run here: which lane (and thread) served which partition. */
  private static final Logger LOG = Logger.getLogger(TopicLane.class.getName());
  private static final long SWEEP_MILLIS = 30_000;
  private static final String RESET = "Reset";
  /** Resets every lane of the node that receives it. */
  private static final String RESET_NODE = "eventplane:ResetNode";
  /** Resets the lane that receives it. */
  private static final String RESET_LANE = "eventplane:ResetLane";

  private final int lane;
  private final int lanes;
  private final TopicNode node;
  private final Placement placement;
  private Topics topics;
  private MobileState mobile;
  private Deliveries deliveries;
  private TopicApi api;
  private TopicListings listings;
  private NodeCalls calls;
  private LaneCalls laneCalls;
  private PartitionRouter router;
  private long sweepTimer = -1;
  private Runnable stopRefreshing = () -> {};
  private Runnable stopSampling = () -> {};

  TopicLane(int lane, int lanes, TopicNode node) {
    this.lane = lane;
    this.lanes = lanes;
    this.node = node;
    this.placement = node.placement();
  }

  @Override
  public Future<?> start() {
    TopicStore topicStore = new TopicStore(node.store(), node.writer());
    topics = new Topics(vertx, context, topicStore);
    mobile = new MobileState(topics);
    // Per lane: QueueSender coalesces the sends of one event-loop turn, state of this context only.
    QueueSender queues = new QueueSender(vertx, "http://eventplane.internal");
    deliveries = new Deliveries(vertx, context, topicStore, queues, node.signer(), topics::get,
        new DeliveryPermissions(node.deliveryAuthorization()));
    deliveries.register(new SqsChannel(queues, node.signer()));
    deliveries.register(new HttpChannel(vertx, node.signer()));
    deliveries.register(new LambdaChannel(vertx, node.signer()));
    deliveries.register(new SmsChannel(mobile));
    deliveries.register(new ApplicationChannel(vertx));
    if (node.metrics().enabled()) {
      SubscriptionMeters meters = new SubscriptionMeters(node.metrics().registry(), topics, deliveries);
      deliveries.setMetrics(meters);
      stopRefreshing = node.metrics().beforeScrape(io.eventplane.common.metrics.OnContext.refresh(context, meters::refresh));
    }
    if (node.awsMetrics() != io.eventplane.common.cloudwatch.AwsMetrics.NONE) {
      TopicCloudWatch cloudWatch = new TopicCloudWatch();
      deliveries.setMetrics(io.eventplane.broker.topic.delivery.DeliveryMetrics.both(deliveries.metrics(), cloudWatch));
      stopSampling = node.awsMetrics().register(context, cloudWatch);
    }
    api = new TopicApi(topics, mobile, deliveries, node.clock());
    calls = new NodeCalls(vertx, Contracts.SNS, Map.of(), lanes);
    laneCalls = new LaneCalls(vertx, Contracts.SNS, lanes);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "SNS");
    listings = new TopicListings(api, mobile, router, laneCalls, lane);
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> topics.sweep(node.clock().millis()));
    return router.listen(Lanes.address(Contracts.SNS, lane), this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context, p -> Lanes.of(p, lanes) == lane));
  }

  @Override
  public Future<Void> listenShared() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> router.listenLocal(Contracts.SNS, this::onClientRequest).onComplete(done));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    stopRefreshing.run();
    stopSampling.run();
    return router == null ? Future.succeededFuture() : router.close();
  }

  /** Loads the partition's topics and resumes its pending deliveries (after a restart or a failover). */
  @Override
  public Future<Void> acquire(int partition) {
    return topics.load(partition).map(snapshot -> {
      mobile.load(partition, snapshot);
      Map<Long, Map<String, Integer>> pending = new HashMap<>();
      for (TopicStore.PendingDelivery d : snapshot.deliveries()) {
        pending.computeIfAbsent(d.seq(), s -> new LinkedHashMap<>()).put(d.subscriptionArn(), d.attempts());
      }
      for (Map.Entry<Long, Map<String, Integer>> e : pending.entrySet()) {
        Notification n = snapshot.notifications().get(e.getKey());
        if (n == null) continue;
        Topic topic = topics.get(n.topicArn());
        deliveries.add(partition, n, e.getValue(), topic != null && topic.fifo());
      }
      return null;
    });
  }

  @Override
  public Future<Void> release(int partition) {
    deliveries.unload(partition);
    mobile.unload(partition);
    topics.unload(partition);
    return Future.succeededFuture();
  }

  /** A request from this node (its gateway, another service, another lane): run here or at the partition's owner. */
  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = switch (request.operation()) {
      case RESET -> resetEverywhere(request);
      case "ListTopics" -> listings.listTopics(request);
      case "ListSubscriptions" -> listings.listSubscriptions(request);
      case "ListPlatformApplications" -> listings.listPlatformApplications(request);
      case TopicListings.SENT_MESSAGES -> listings.sentMessages(request);
      case TopicService.SIGNING_CERT -> signingCertificate(request);
      default -> {
        int partition = TopicRequestPartitions.of(request);
        yield partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane
            ? laneCalls.call(laneCalls.laneOf(partition), request)
            : router.route(request, partition, this::handle);
      }
    };
    router.reply(message, request, result);
  }

  /** A request another node forwarded, or a node-wide question: answered on this node. */
  private void onNodeRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    int partition = TopicRequestPartitions.of(request);
    if (partition != PartitionRouter.ANY && laneCalls.laneOf(partition) != lane) {
      // Only when the sender runs a different number of lanes: pass it on rather than refuse it.
      router.reply(message, request, laneCalls.call(laneCalls.laneOf(partition), request));
      return;
    }
    router.reply(message, request, PartitionRouter.safely(this::handle, request));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    String op = request.operation();
    if (LOG.isLoggable(Level.FINEST)) {
      LOG.log(Level.FINEST, "SNS lane {0} runs {1} of partition {2}",
          new Object[] {lane, op, TopicRequestPartitions.of(request)});
    }
    if (RESET_NODE.equals(op)) return resetNode(request);
    if (RESET_LANE.equals(op)) return resetHere();
    if (TopicListings.answers(op)) return listings.answer(request);
    if (TopicService.SIGNING_CERT.equals(op)) {
      JsonObject in = request.input();
      return node.signer().ready(vertx).map(v -> node.signer().certificateId().equals(in.getString("id"))
          ? new JsonObject().put("pem", node.signer().certificatePem()) : new JsonObject());
    }
    return api.handle(request);
  }

  /** The PEM of a signing certificate: this node's, or asked of the others (each node signs with its own key). */
  private Future<JsonObject> signingCertificate(ApiRequest request) {
    return router.everyNode(new ApiRequest(TopicService.SIGNING_CERT, request.input(), request.context()), this::handle)
        .map(answers -> {
          for (JsonObject a : answers) if (a.containsKey("pem")) return a;
          return new JsonObject();
        });
  }

  private Future<JsonObject> resetEverywhere(ApiRequest request) {
    ApiRequest reset = new ApiRequest(RESET_NODE, new JsonObject(), request.context());
    return router.everyNode(reset, this::handle).map(all -> new JsonObject().put("reset", true));
  }

  private Future<JsonObject> resetNode(ApiRequest request) {
    ApiRequest reset = new ApiRequest(RESET_LANE, new JsonObject(), request.context());
    return laneCalls.everyLane(lane, reset, this::resetHere).map(v -> new JsonObject());
  }

  private Future<JsonObject> resetHere() {
    mobile.clear();
    return topics.clear().map(v -> new JsonObject());
  }
}
