package io.eventplane.broker.topic;

import io.eventplane.broker.topic.api.TopicApi;
import io.eventplane.broker.topic.api.TopicRequestPartitions;
import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.delivery.HttpChannel;
import io.eventplane.broker.topic.delivery.LambdaChannel;
import io.eventplane.broker.topic.delivery.QueueSender;
import io.eventplane.broker.topic.delivery.SqsChannel;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.store.TopicStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionListener;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SNS service of a node: takes requests at {@link Contracts#SNS}, runs each at the owner of
 * its topic's partition (here or forwarded), and delivers the notifications of the topics it
 * owns. When it takes a partition it loads its topics and resumes the partition's pending
 * deliveries, so deliveries continue after a restart or a failover.
 */
public final class TopicService extends VerticleBase implements PartitionListener {
  private static final String RESET = "Reset";
  private static final String RESET_NODE = "eventplane:ResetNode";
  private static final String TOPIC_ARNS = "eventplane:TopicArns";
  private static final String SUBSCRIPTIONS = "eventplane:Subscriptions";
  /** The signing certificate a SigningCertURL names: {@code {id}} in, {@code {pem}} out (empty if not this node's). */
  public static final String SIGNING_CERT = "eventplane:SigningCert";
  /** SNS on a node: topics live in partitions of the {@code sns} column family; the signing key in the data directory. */
  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("SNS", Contracts.SNS,
      java.util.List.of(TopicStore.COLUMN_FAMILY), env -> new TopicService(env.store(), env.writer(), env.placement(),
          env.clock(), env.config().dataDir()))
      .withMigration((store, config) -> TopicStore.migrate(store, config.region()));
  private static final long SWEEP_MILLIS = 30_000;
  private static final int PAGE = 100;

  private final Store store;
  private final PartitionWriter writer;
  private final Placement placement;
  private final Clock clock;
  private final Path signingKeyDir;
  private Topics topics;
  private Deliveries deliveries;
  private TopicApi api;
  private MessageSigner signer;
  private NodeCalls calls;
  private PartitionRouter router;
  private long sweepTimer = -1;

  /** @param signingKeyDir where the node keeps its SNS signing key and certificate */
  public TopicService(Store store, PartitionWriter writer, Placement placement, Clock clock, Path signingKeyDir) {
    this.store = store;
    this.writer = writer;
    this.placement = placement;
    this.clock = clock;
    this.signingKeyDir = signingKeyDir;
  }

  @Override
  public Future<?> start() {
    // The signing key is loaded on first use (a delivery or a certificate request), off the start path.
    signer = MessageSigner.lazy(signingKeyDir);
    TopicStore topicStore = new TopicStore(store, writer);
    topics = new Topics(vertx, context, topicStore);
    QueueSender queues = new QueueSender(vertx, "http://eventplane.internal");
    deliveries = new Deliveries(vertx, context, topicStore, queues, signer, topics::get);
    deliveries.register(new SqsChannel(queues, signer));
    deliveries.register(new HttpChannel(vertx, signer));
    deliveries.register(new LambdaChannel(vertx, signer));
    api = new TopicApi(topics, deliveries, clock);
    calls = new NodeCalls(vertx, Contracts.SNS);
    placement.onMemberLeft(calls::nodeLeft);
    router = new PartitionRouter(vertx, placement, calls, "SNS");
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> topics.sweep(clock.millis()));
    return router.listen(Contracts.SNS, this::onClientRequest, this::onNodeRequest)
        .compose(v -> placement.register(this, context));
  }

  @Override
  public Future<?> stop() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    return router == null ? Future.succeededFuture() : router.close();
  }

  @Override
  public Future<Void> acquire(int partition) {
    return topics.load(partition).map(snapshot -> {
      Map<Long, Map<String, Integer>> pending = new HashMap<>();
      for (TopicStore.PendingDelivery d : snapshot.deliveries()) {
        pending.computeIfAbsent(d.seq(), s -> new java.util.LinkedHashMap<>()).put(d.subscriptionArn(), d.attempts());
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
    topics.unload(partition);
    return Future.succeededFuture();
  }

  private void onClientRequest(Message<ApiRequest> message) {
    ApiRequest request = message.body();
    Future<JsonObject> result = switch (request.operation()) {
      case RESET -> everyNode(new ApiRequest(RESET_NODE, new JsonObject(), request.context()))
          .map(all -> new JsonObject().put("reset", true));
      case "ListTopics" -> listTopics(request);
      case "ListSubscriptions" -> listSubscriptions(request);
      case SIGNING_CERT -> signingCertificate(request);
      default -> router.route(request, TopicRequestPartitions.of(request), this::handle);
    };
    router.reply(message, request, result);
  }

  private void onNodeRequest(Message<ApiRequest> message) {
    router.reply(message, message.body(), PartitionRouter.safely(this::handle, message.body()));
  }

  private Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case RESET_NODE -> topics.clear().map(v -> new JsonObject());
      case TOPIC_ARNS -> Future.succeededFuture(new JsonObject().put("arns",
          api.topicArns(in.getString("account"), in.getString("region"), in.getString("after"),
              in.getInteger("limit", PAGE))));
      case SUBSCRIPTIONS -> Future.succeededFuture(new JsonObject().put("subscriptions",
          api.subscriptions(in.getString("account"), in.getString("region"))));
      case SIGNING_CERT -> signer.ready(vertx).map(v -> signer.certificateId().equals(in.getString("id"))
          ? new JsonObject().put("pem", signer.certificatePem()) : new JsonObject());
      default -> api.handle(request);
    };
  }

  /** ListTopics: every node's topics of the account, merged in ARN order, 100 a page. */
  private Future<JsonObject> listTopics(ApiRequest request) {
    String after;
    try {
      after = TopicApi.after(request.input());
    } catch (io.eventplane.common.error.ServiceException e) {
      return Future.failedFuture(e);
    }
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region()).put("after", after)
        .put("limit", PAGE + 1);
    return everyNode(new ApiRequest(TOPIC_ARNS, question, request.context())).map(answers -> {
      List<String> arns = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("arns").forEach(x -> arns.add((String) x));
      arns.sort(null);
      JsonArray items = new JsonArray();
      for (String arn : arns) items.add(new JsonObject().put("TopicArn", arn));
      return TopicApi.page(items, "Topics", after, PAGE, o -> ((JsonObject) o).getString("TopicArn"));
    });
  }

  /** ListSubscriptions: every node's subscriptions of the account, in subscription ARN order. */
  private Future<JsonObject> listSubscriptions(ApiRequest request) {
    String after;
    try {
      after = TopicApi.after(request.input());
    } catch (io.eventplane.common.error.ServiceException e) {
      return Future.failedFuture(e);
    }
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region());
    return everyNode(new ApiRequest(SUBSCRIPTIONS, question, request.context())).map(answers -> {
      List<JsonObject> subs = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("subscriptions").forEach(x -> subs.add((JsonObject) x));
      subs.sort(java.util.Comparator.comparing(TopicService::listingKey));
      return TopicApi.page(new JsonArray(new ArrayList<>(subs)), "Subscriptions", after, PAGE,
          o -> listingKey((JsonObject) o));
    });
  }

  private static String listingKey(JsonObject summary) {
    return summary.getString("TopicArn") + "\u0000" + summary.getString("Endpoint") + "\u0000" + summary.getString("Protocol");
  }

  /** The PEM of a signing certificate: this node's, or asked of the others (each node signs with its own key). */
  private Future<JsonObject> signingCertificate(ApiRequest request) {
    return everyNode(new ApiRequest(SIGNING_CERT, request.input(), request.context())).map(answers -> {
      for (JsonObject a : answers) if (a.containsKey("pem")) return a;
      return new JsonObject();
    });
  }

  private Future<List<JsonObject>> everyNode(ApiRequest question) {
    return router.everyNode(question, this::handle);
  }

}
