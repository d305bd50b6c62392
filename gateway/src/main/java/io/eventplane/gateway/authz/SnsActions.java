package io.eventplane.gateway.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon SNS": the one resource type is the topic,
 * {@code arn:aws:sns:region:account:name}; subscription, platform and SMS actions have none
 * ({@code *}). Subscribe carries sns:Protocol and sns:Endpoint; Publish to a phone number is on {@code *}.
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
      .anyResource("ListTopics", "ListSubscriptions", "Unsubscribe", "GetSubscriptionAttributes",
          "SetSubscriptionAttributes", "CheckIfPhoneNumberIsOptedOut", "CreatePlatformApplication",
          "CreatePlatformEndpoint", "CreateSMSSandboxPhoneNumber", "DeleteEndpoint", "DeletePlatformApplication",
          "DeleteSMSSandboxPhoneNumber", "GetEndpointAttributes", "GetPlatformApplicationAttributes", "GetSMSAttributes",
          "GetSMSSandboxAccountStatus", "ListEndpointsByPlatformApplication", "ListOriginationNumbers",
          "ListPhoneNumbersOptedOut", "ListPlatformApplications", "ListSMSSandboxPhoneNumbers", "OptInPhoneNumber",
          "SetEndpointAttributes", "SetPlatformApplicationAttributes", "SetSMSAttributes", "VerifySMSSandboxPhoneNumber")
      .build();

  private static String topic(String arn, Arns arns) {
    return arn != null ? arn : arns.of("sns", "*");
  }
}
