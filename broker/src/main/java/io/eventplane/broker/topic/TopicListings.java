package io.eventplane.broker.topic;

import io.eventplane.broker.topic.api.TopicApi;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.mobile.Recorded;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.PartitionRouter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ListTopics, ListSubscriptions, ListPlatformApplications and the recorded push and SMS messages
 * ({@value #SENT_MESSAGES}), the SNS reads across partitions: the lane that takes the
 * request asks every node for its share (this node directly, the others at their lane 0); a node
 * gathers its share from every one of its lanes over the local bus, and each lane answers from its
 * own topics only. So no lane reads another lane's state. One per lane, on the lane's context.
 */
final class TopicListings {
  /** A node's share of ListTopics, from all its lanes. */
  static final String TOPIC_ARNS = "eventplane:TopicArns";
  /** A node's share of ListSubscriptions, from all its lanes. */
  static final String SUBSCRIPTIONS = "eventplane:Subscriptions";
  /** The share of the one lane that receives it. */
  static final String LANE_TOPIC_ARNS = "eventplane:LaneTopicArns";
  static final String LANE_SUBSCRIPTIONS = "eventplane:LaneSubscriptions";
  static final String APPLICATIONS = "eventplane:PlatformApplications";
  static final String LANE_APPLICATIONS = "eventplane:LanePlatformApplications";
  /**
   * The recorded push or SMS messages of an account and region, from every node: {@code kind}
   * ({@code endpoint} or {@code sms}), {@code accountId}, {@code region}, optional {@code target}
   * (an endpoint ARN or a phone number), {@code clear} true to delete them instead of listing them.
   */
  static final String SENT_MESSAGES = "eventplane:SentMessages";
  static final String NODE_SENT = "eventplane:NodeSentMessages";
  static final String LANE_SENT = "eventplane:LaneSentMessages";
  private static final int PAGE = 100;
  private static final java.util.Set<String> SHARES = java.util.Set.of(TOPIC_ARNS, SUBSCRIPTIONS, LANE_TOPIC_ARNS,
      LANE_SUBSCRIPTIONS, APPLICATIONS, LANE_APPLICATIONS, NODE_SENT, LANE_SENT);

  private final TopicApi api;
  private final MobileState mobile;
  private final PartitionRouter router;
  private final LaneCalls laneCalls;
  private final int lane;

  TopicListings(TopicApi api, MobileState mobile, PartitionRouter router, LaneCalls laneCalls, int lane) {
    this.api = api;
    this.mobile = mobile;
    this.router = router;
    this.laneCalls = laneCalls;
    this.lane = lane;
  }

  static boolean answers(String operation) {
    return SHARES.contains(operation);
  }

  /** ListPlatformApplications: every node's applications of the account, in ARN order, 100 a page. */
  Future<JsonObject> listPlatformApplications(ApiRequest request) {
    String after;
    try {
      after = TopicApi.after(request.input());
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region());
    return router.everyNode(new ApiRequest(APPLICATIONS, question, request.context()), this::answer).map(answers -> {
      List<JsonObject> apps = itemsOf(answers, "applications");
      apps.sort(Comparator.comparing(a -> a.getString("PlatformApplicationArn")));
      return TopicApi.page(new JsonArray(new ArrayList<>(apps)), "PlatformApplications", after, PAGE,
          o -> ((JsonObject) o).getString("PlatformApplicationArn"));
    });
  }

  /** The recorded messages asked for, from every node (or cleared there): {@code {messages: [...]}} or {@code {deleted: n}}. */
  Future<JsonObject> sentMessages(ApiRequest request) {
    return router.everyNode(new ApiRequest(NODE_SENT, request.input(), request.context()), this::answer).map(answers -> {
      if (request.input().getBoolean("clear", false)) {
        int deleted = 0;
        for (JsonObject a : answers) deleted += a.getInteger("deleted", 0);
        return new JsonObject().put("deleted", deleted);
      }
      List<JsonObject> messages = itemsOf(answers, "messages");
      // Each partition's are in order already; across partitions (SMS from several topics) by time.
      messages.sort(Comparator.comparing(m -> m.getString("Timestamp", "")));
      JsonArray listed = new JsonArray();
      for (JsonObject m : messages) listed.add(Recorded.listed(m));
      return new JsonObject().put("messages", listed);
    });
  }

  /** ListTopics: every node's topics of the account, merged in ARN order, 100 a page. */
  Future<JsonObject> listTopics(ApiRequest request) {
    String after;
    try {
      after = TopicApi.after(request.input());
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region()).put("after", after)
        .put("limit", PAGE + 1);
    return router.everyNode(new ApiRequest(TOPIC_ARNS, question, request.context()), this::answer).map(answers -> {
      JsonArray items = new JsonArray();
      for (String arn : sortedArns(answers, Integer.MAX_VALUE)) items.add(new JsonObject().put("TopicArn", arn));
      return TopicApi.page(items, "Topics", after, PAGE, o -> ((JsonObject) o).getString("TopicArn"));
    });
  }

  /** ListSubscriptions: every node's subscriptions of the account, in subscription ARN order. */
  Future<JsonObject> listSubscriptions(ApiRequest request) {
    String after;
    try {
      after = TopicApi.after(request.input());
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region());
    return router.everyNode(new ApiRequest(SUBSCRIPTIONS, question, request.context()), this::answer).map(answers -> {
      List<JsonObject> subs = subscriptionsOf(answers);
      subs.sort(Comparator.comparing(TopicListings::listingKey));
      return TopicApi.page(new JsonArray(new ArrayList<>(subs)), "Subscriptions", after, PAGE,
          o -> listingKey((JsonObject) o));
    });
  }

  /** Answers a node's share (gathered from every lane) or this lane's share. */
  Future<JsonObject> answer(ApiRequest request) {
    JsonObject in = request.input();
    switch (request.operation()) {
      case TOPIC_ARNS: {
        int limit = in.getInteger("limit", PAGE);
        return everyLane(LANE_TOPIC_ARNS, request).map(answers -> new JsonObject().put("arns",
            new JsonArray(new ArrayList<>(sortedArns(answers, limit)))));
      }
      case SUBSCRIPTIONS:
        return everyLane(LANE_SUBSCRIPTIONS, request).map(answers -> new JsonObject().put("subscriptions",
            new JsonArray(new ArrayList<>(subscriptionsOf(answers)))));
      case LANE_TOPIC_ARNS:
        return Future.succeededFuture(new JsonObject().put("arns", api.topicArns(in.getString("account"),
            in.getString("region"), in.getString("after"), in.getInteger("limit", PAGE))));
      case LANE_SUBSCRIPTIONS:
        return Future.succeededFuture(new JsonObject().put("subscriptions",
            api.subscriptions(in.getString("account"), in.getString("region"))));
      case APPLICATIONS:
        return everyLane(LANE_APPLICATIONS, request).map(answers -> new JsonObject().put("applications",
            new JsonArray(new ArrayList<>(itemsOf(answers, "applications")))));
      case LANE_APPLICATIONS:
        return Future.succeededFuture(new JsonObject().put("applications",
            api.platformApplications(in.getString("account"), in.getString("region"))));
      case NODE_SENT:
        return everyLane(LANE_SENT, request).map(answers -> {
          if (in.getBoolean("clear", false)) {
            int deleted = 0;
            for (JsonObject a : answers) deleted += a.getInteger("deleted", 0);
            return new JsonObject().put("deleted", deleted);
          }
          return new JsonObject().put("messages", new JsonArray(new ArrayList<>(itemsOf(answers, "messages"))));
        });
      case LANE_SENT: {
        java.util.function.Predicate<JsonObject> matches = r -> Recorded.matches(r, in.getString("kind"),
            in.getString("accountId"), in.getString("region"), in.getString("target"));
        if (in.getBoolean("clear", false)) {
          return mobile.clearRecorded(matches).map(n -> new JsonObject().put("deleted", n));
        }
        JsonArray out = new JsonArray();
        for (JsonObject r : mobile.recorded(matches)) out.add(r);
        return Future.succeededFuture(new JsonObject().put("messages", out));
      }
      default:
        return Future.failedFuture(new IllegalArgumentException("not a listing: " + request.operation()));
    }
  }

  private Future<List<JsonObject>> everyLane(String laneOperation, ApiRequest request) {
    ApiRequest question = new ApiRequest(laneOperation, request.input(), request.context());
    return laneCalls.everyLane(lane, question, () -> answer(question));
  }

  /** The ARNs of the answers in order, the first {@code limit} of them. */
  private static List<String> sortedArns(List<JsonObject> answers, int limit) {
    List<String> arns = new ArrayList<>();
    for (JsonObject a : answers) a.getJsonArray("arns").forEach(x -> arns.add((String) x));
    arns.sort(null);
    return arns.size() > limit ? arns.subList(0, limit) : arns;
  }

  private static List<JsonObject> subscriptionsOf(List<JsonObject> answers) {
    List<JsonObject> subs = new ArrayList<>();
    for (JsonObject a : answers) a.getJsonArray("subscriptions").forEach(x -> subs.add((JsonObject) x));
    return subs;
  }

  private static List<JsonObject> itemsOf(List<JsonObject> answers, String key) {
    List<JsonObject> items = new ArrayList<>();
    for (JsonObject a : answers) a.getJsonArray(key).forEach(x -> items.add((JsonObject) x));
    return items;
  }

  private static String listingKey(JsonObject summary) {
    return summary.getString("TopicArn") + "\u0000" + summary.getString("Endpoint") + "\u0000" + summary.getString("Protocol");
  }
}
