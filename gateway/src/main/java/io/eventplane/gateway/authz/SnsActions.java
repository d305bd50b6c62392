package io.eventplane.gateway.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon SNS": the one resource type is the topic,
 * {@code arn:aws:sns:region:account:name}; a subscription's actions (Unsubscribe, Get/Set
 * SubscriptionAttributes) are on its topic; platform and SMS actions have none ({@code *}). Subscribe carries sns:Protocol and sns:Endpoint; Publish to a phone number is on {@code *}.
 */
final class SnsActions {
  private SnsActions() {}

  static final ServiceActions TABLE = ActionTable.builder("sns")
      .same((c, a) -> topic(c.string("TopicArn"), a), "AddPermission", "RemovePermission", "DeleteTopic",
          "GetTopicAttributes", "SetTopicAttributes", "ListSubscriptionsByTopic", "ConfirmSubscription")
      .same((c, a) -> topic(c.string("ResourceArn"), a), "GetDataProtectionPolicy", "PutDataProtectionPolicy",
          "TagResource", "UntagResource", "ListTagsForResource")
      .rule("CreateTopic", (c, a) -> {
        String topic = a.of("sns", c.string("Name") != null ? c.string("Name") : "*");
        List<Target> targets = new ArrayList<>(2);
        targets.add(Target.of("sns:CreateTopic", topic));
        if (c.input().getValue("Tags") instanceof io.vertx.core.json.JsonArray tags && !tags.isEmpty()) {
          targets.add(Target.of("sns:TagResource", topic));
        }
        return targets;
      })
      .rule("Subscribe", (c, a) -> List.of(Target.of("sns:Subscribe", topic(c.string("TopicArn"), a))
          .with("sns:Protocol", c.string("Protocol")).with("sns:Endpoint", c.string("Endpoint"))))
      .rule("Publish", (c, a) -> {
        String arn = c.string("TopicArn") != null ? c.string("TopicArn") : c.string("TargetArn");
        return List.of(Target.of("sns:Publish", arn != null ? arn : "*"));
      })
      .rule("PublishBatch", (c, a) -> List.of(Target.of("sns:Publish", topic(c.string("TopicArn"), a))))
      .same((c, a) -> topicOfSubscription(c.string("SubscriptionArn"), a), "Unsubscribe", "GetSubscriptionAttributes",
          "SetSubscriptionAttributes")
      .anyResource("ListTopics", "ListSubscriptions", "CheckIfPhoneNumberIsOptedOut", "CreatePlatformApplication",
          "CreatePlatformEndpoint", "CreateSMSSandboxPhoneNumber", "DeleteEndpoint", "DeletePlatformApplication",
          "DeleteSMSSandboxPhoneNumber", "GetEndpointAttributes", "GetPlatformApplicationAttributes", "GetSMSAttributes",
          "GetSMSSandboxAccountStatus", "ListEndpointsByPlatformApplication", "ListOriginationNumbers",
          "ListPhoneNumbersOptedOut", "ListPlatformApplications", "ListSMSSandboxPhoneNumbers", "OptInPhoneNumber",
          "SetEndpointAttributes", "SetPlatformApplicationAttributes", "SetSMSAttributes", "VerifySMSSandboxPhoneNumber")
      .build();

  /** A subscription's topic: its ARN less the last {@code :id}. */
  static String topicOfSubscription(String subscriptionArn, Arns arns) {
    if (subscriptionArn == null || !subscriptionArn.startsWith("arn:")) return arns.of("sns", "*");
    int last = subscriptionArn.lastIndexOf(':');
    return Arns.accountOf(subscriptionArn) != null && last > 0 && subscriptionArn.substring(0, last).split(":", -1).length == 6
        ? subscriptionArn.substring(0, last) : arns.of("sns", "*");
  }

  private static String topic(String arn, Arns arns) {
    return arn != null ? arn : arns.of("sns", "*");
  }
}
