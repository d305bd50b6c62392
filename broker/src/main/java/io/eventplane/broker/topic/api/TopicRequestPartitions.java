package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.mobile.PlatformArn;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.PartitionRouter;
import io.vertx.core.json.JsonObject;

/**
 * The partition an SNS request is about: its topic's, named by Name (CreateTopic), TopicArn,
 * TargetArn, ResourceArn or the topic part of a SubscriptionArn; a platform application's
 * (with its endpoints), named by Name and Platform, PlatformApplicationArn, EndpointArn or a
 * TargetArn of an endpoint; the account's SMS partition for the SMS calls and a Publish to a
 * PhoneNumber. {@link PartitionRouter#ANY} for listings across partitions, and for requests so
 * malformed that any node answers the error.
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
      case "ListPlatformApplications":
      case "ListOriginationNumbers":
      case "GetSMSSandboxAccountStatus":
        return PartitionRouter.ANY;
      case "CreatePlatformApplication":
        return in.getValue("Name") instanceof String name && in.getValue("Platform") instanceof String platform
            ? PlatformArn.partitionOf(request.context().accountId(), platform, name) : PartitionRouter.ANY;
      case "GetPlatformApplicationAttributes":
      case "SetPlatformApplicationAttributes":
      case "DeletePlatformApplication":
      case "CreatePlatformEndpoint":
      case "ListEndpointsByPlatformApplication": {
        PlatformArn arn = in.getValue("PlatformApplicationArn") instanceof String s ? PlatformArn.application(s) : null;
        return arn == null ? PartitionRouter.ANY : arn.partition();
      }
      case "GetEndpointAttributes":
      case "SetEndpointAttributes":
      case "DeleteEndpoint":
      case TopicApi.DELIVER_TO_ENDPOINT: {
        PlatformArn arn = in.getValue("EndpointArn") instanceof String s ? PlatformArn.endpoint(s) : null;
        return arn == null ? PartitionRouter.ANY : arn.partition();
      }
      case "SetSMSAttributes":
      case "GetSMSAttributes":
      case "CheckIfPhoneNumberIsOptedOut":
      case "ListPhoneNumbersOptedOut":
      case "OptInPhoneNumber":
      case "CreateSMSSandboxPhoneNumber":
      case "VerifySMSSandboxPhoneNumber":
      case "ListSMSSandboxPhoneNumbers":
      case "DeleteSMSSandboxPhoneNumber":
        return PlatformArn.smsPartition(request.context().accountId());
      case "Publish": {
        if (in.getValue("TopicArn") == null && in.getValue("TargetArn") instanceof String target) {
          PlatformArn endpoint = PlatformArn.endpoint(target);
          if (endpoint != null) return endpoint.partition();
        }
        if (in.getValue("TopicArn") == null && in.getValue("TargetArn") == null && in.getValue("PhoneNumber") != null) {
          return PlatformArn.smsPartition(request.context().accountId());
        }
        return topicPartition(in);
      }
      case "Unsubscribe":
      case "GetSubscriptionAttributes":
      case "SetSubscriptionAttributes": {
        TopicArn arn = in.getValue("SubscriptionArn") instanceof String s ? TopicArn.ofSubscription(s) : null;
        return arn == null ? PartitionRouter.ANY : Topics.partitionOf(arn);
      }
      default:
        return topicPartition(in);
    }
  }

  private static int topicPartition(JsonObject in) {
    for (String member : new String[] {"TopicArn", "TargetArn", "ResourceArn"}) {
      TopicArn arn = in.getValue(member) instanceof String s ? TopicArn.parse(s) : null;
      if (arn != null) return Topics.partitionOf(arn);
    }
    return PartitionRouter.ANY;
  }
}
