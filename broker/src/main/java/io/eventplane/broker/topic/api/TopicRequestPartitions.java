package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.PartitionRouter;
import io.vertx.core.json.JsonObject;

/**
 * The partition an SNS request is about: its topic's, named by Name (CreateTopic), TopicArn,
 * TargetArn, ResourceArn or the topic part of a SubscriptionArn. {@link PartitionRouter#ANY}
 * for listings across topics, and for requests so malformed that any node answers the error.
 */
public final class TopicRequestPartitions {
  private TopicRequestPartitions() {}

  public static int of(ApiRequest request) {
    JsonObject in = request.input();
    switch (request.operation()) {
      case "CreateTopic":
        return in.getValue("Name") instanceof String name
            ? Topics.partitionOf(request.context().accountId(), name) : PartitionRouter.ANY;
      case "ListTopics":
      case "ListSubscriptions":
        return PartitionRouter.ANY;
      case "Unsubscribe":
      case "GetSubscriptionAttributes":
      case "SetSubscriptionAttributes": {
        TopicArn arn = in.getValue("SubscriptionArn") instanceof String s ? TopicArn.ofSubscription(s) : null;
        return arn == null ? PartitionRouter.ANY : Topics.partitionOf(arn);
      }
      default: {
        for (String member : new String[] {"TopicArn", "TargetArn", "ResourceArn"}) {
          TopicArn arn = in.getValue(member) instanceof String s ? TopicArn.parse(s) : null;
          if (arn != null) return Topics.partitionOf(arn);
        }
        return PartitionRouter.ANY;
      }
    }
  }
}
