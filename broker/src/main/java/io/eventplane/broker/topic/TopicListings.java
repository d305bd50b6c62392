package io.eventplane.broker.topic;

import io.eventplane.broker.topic.api.TopicApi;
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
 * ListTopics and ListSubscriptions, the SNS reads across partitions: the lane that takes the
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
  private static final int PAGE = 100;

  private final TopicApi api;
  private final PartitionRouter router;
  private final LaneCalls laneCalls;
  private final int lane;

  TopicListings(TopicApi api, PartitionRouter router, LaneCalls laneCalls, int lane) {
    this.api = api;
    this.router = router;
    this.laneCalls = laneCalls;
    this.lane = lane;
  }

  static boolean answers(String operation) {
    return TOPIC_ARNS.equals(operation) || SUBSCRIPTIONS.equals(operation) || LANE_TOPIC_ARNS.equals(operation)
        || LANE_SUBSCRIPTIONS.equals(operation);
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

  private static String listingKey(JsonObject summary) {
    return summary.getString("TopicArn") + "\u0000" + summary.getString("Endpoint") + "\u0000" + summary.getString("Protocol");
  }
}
