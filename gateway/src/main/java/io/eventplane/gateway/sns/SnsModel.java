package io.eventplane.gateway.sns;

import static io.eventplane.gateway.query.Shape.Scalar.BLOB;
import static io.eventplane.gateway.query.Shape.Scalar.BOOLEAN;
import static io.eventplane.gateway.query.Shape.Scalar.INTEGER;
import static io.eventplane.gateway.query.Shape.Scalar.STRING;

import static io.eventplane.gateway.query.Shape.member;
import static io.eventplane.gateway.query.Shape.op;
import static io.eventplane.gateway.query.Shape.struct;

import io.eventplane.gateway.query.QueryModel;
import io.eventplane.gateway.query.Shape;
import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Operation;
import io.eventplane.gateway.query.Shape.Struct;
import java.util.stream.Stream;

/**
 * The SNS operations about topics and subscriptions, with their input and output shapes,
 * transcribed from botocore's model of SNS 2010-03-31 (botocore 1.43). SNS wraps its lists
 * ({@code member}) and maps ({@code entry}, with {@code key}/{@code value}, or {@code Name}/
 * {@code Value} for message attributes). Platform applications, endpoints and the account's SMS
 * calls are served too (their messages are recorded, not sent).
 */
public final class SnsModel {
  public static final String XML_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
  public static final String API_VERSION = "2010-03-31";

  private static final Member TOPIC_ARN = member("TopicArn", STRING);
  private static final Member SUBSCRIPTION_ARN = member("SubscriptionArn", STRING);
  private static final Member NEXT_TOKEN = member("NextToken", STRING);
  private static final Member ATTRIBUTES = member("Attributes", map("key", "value", STRING));
  private static final Struct TAG = struct(member("Key", STRING), member("Value", STRING));
  private static final Member TAGS = member("Tags", list(TAG));
  private static final Member MESSAGE_ATTRIBUTES = member("MessageAttributes", map("Name", "Value", struct(
      member("DataType", STRING), member("StringValue", STRING), member("BinaryValue", BLOB))));
  private static final Struct SUBSCRIPTIONS = struct(member("Subscriptions", list(struct(
      SUBSCRIPTION_ARN, member("Owner", STRING), member("Protocol", STRING), member("Endpoint", STRING), TOPIC_ARN))),
      NEXT_TOKEN);

  private static final Member APPLICATION_ARN = member("PlatformApplicationArn", STRING);
  private static final Member ENDPOINT_ARN = member("EndpointArn", STRING);
  private static final Member PHONE_NUMBER = member("PhoneNumber", STRING);
  private static final Member SMS_ATTRIBUTES = member("attributes", map("key", "value", STRING));

  static final QueryModel MODEL = new QueryModel(XML_NAMESPACE, Stream.of(
      op("CheckIfPhoneNumberIsOptedOut", struct(member("phoneNumber", STRING)), struct(member("isOptedOut", BOOLEAN))),
      op("CreatePlatformApplication", struct(member("Name", STRING), member("Platform", STRING), ATTRIBUTES),
          struct(APPLICATION_ARN)),
      op("CreatePlatformEndpoint", struct(APPLICATION_ARN, member("Token", STRING), member("CustomUserData", STRING),
          ATTRIBUTES), struct(ENDPOINT_ARN)),
      op("CreateSMSSandboxPhoneNumber", struct(PHONE_NUMBER, member("LanguageCode", STRING)), struct()),
      op("DeleteEndpoint", struct(ENDPOINT_ARN), null),
      op("DeletePlatformApplication", struct(APPLICATION_ARN), null),
      op("DeleteSMSSandboxPhoneNumber", struct(PHONE_NUMBER), struct()),
      op("GetEndpointAttributes", struct(ENDPOINT_ARN), struct(ATTRIBUTES)),
      op("GetPlatformApplicationAttributes", struct(APPLICATION_ARN), struct(ATTRIBUTES)),
      op("GetSMSAttributes", struct(member("attributes", list(STRING))), struct(SMS_ATTRIBUTES)),
      op("GetSMSSandboxAccountStatus", struct(), struct(member("IsInSandbox", BOOLEAN))),
      op("ListEndpointsByPlatformApplication", struct(APPLICATION_ARN, NEXT_TOKEN),
          struct(member("Endpoints", list(struct(ENDPOINT_ARN, ATTRIBUTES))), NEXT_TOKEN)),
      op("ListOriginationNumbers", struct(NEXT_TOKEN, member("MaxResults", INTEGER)),
          struct(NEXT_TOKEN, member("PhoneNumbers", list(struct(member("CreatedAt", STRING), PHONE_NUMBER,
              member("Status", STRING), member("Iso2CountryCode", STRING), member("RouteType", STRING),
              member("NumberCapabilities", list(STRING))))))),
      op("ListPhoneNumbersOptedOut", struct(member("nextToken", STRING)),
          struct(member("phoneNumbers", list(STRING)), member("nextToken", STRING))),
      op("ListPlatformApplications", struct(NEXT_TOKEN),
          struct(member("PlatformApplications", list(struct(APPLICATION_ARN, ATTRIBUTES))), NEXT_TOKEN)),
      op("ListSMSSandboxPhoneNumbers", struct(NEXT_TOKEN, member("MaxResults", INTEGER)),
          struct(member("PhoneNumbers", list(struct(PHONE_NUMBER, member("Status", STRING)))), NEXT_TOKEN)),
      op("OptInPhoneNumber", struct(member("phoneNumber", STRING)), struct()),
      op("SetEndpointAttributes", struct(ENDPOINT_ARN, ATTRIBUTES), null),
      op("SetPlatformApplicationAttributes", struct(APPLICATION_ARN, ATTRIBUTES), null),
      op("SetSMSAttributes", struct(SMS_ATTRIBUTES), struct()),
      op("VerifySMSSandboxPhoneNumber", struct(PHONE_NUMBER, member("OneTimePassword", STRING)), struct()),
      op("AddPermission", struct(TOPIC_ARN, member("Label", STRING), member("AWSAccountId", list(STRING)),
          member("ActionName", list(STRING))), null),
      op("ConfirmSubscription", struct(TOPIC_ARN, member("Token", STRING), member("AuthenticateOnUnsubscribe", STRING)),
          struct(SUBSCRIPTION_ARN)),
      op("CreateTopic", struct(member("Name", STRING), ATTRIBUTES, TAGS, member("DataProtectionPolicy", STRING)),
          struct(TOPIC_ARN)),
      op("DeleteTopic", struct(TOPIC_ARN), null),
      op("GetDataProtectionPolicy", struct(member("ResourceArn", STRING)), struct(member("DataProtectionPolicy", STRING))),
      op("GetSubscriptionAttributes", struct(SUBSCRIPTION_ARN), struct(ATTRIBUTES)),
      op("GetTopicAttributes", struct(TOPIC_ARN), struct(ATTRIBUTES)),
      op("ListSubscriptions", struct(NEXT_TOKEN), SUBSCRIPTIONS),
      op("ListSubscriptionsByTopic", struct(TOPIC_ARN, NEXT_TOKEN), SUBSCRIPTIONS),
      op("ListTagsForResource", struct(member("ResourceArn", STRING)), struct(TAGS)),
      op("ListTopics", struct(NEXT_TOKEN), struct(member("Topics", list(struct(TOPIC_ARN))), NEXT_TOKEN)),
      op("Publish", struct(TOPIC_ARN, member("TargetArn", STRING), member("PhoneNumber", STRING),
              member("Message", STRING), member("Subject", STRING), member("MessageStructure", STRING),
              MESSAGE_ATTRIBUTES, member("MessageDeduplicationId", STRING), member("MessageGroupId", STRING)),
          struct(member("MessageId", STRING), member("SequenceNumber", STRING))),
      op("PublishBatch", struct(TOPIC_ARN, member("PublishBatchRequestEntries", list(struct(
              member("Id", STRING), member("Message", STRING), member("Subject", STRING),
              member("MessageStructure", STRING), MESSAGE_ATTRIBUTES, member("MessageDeduplicationId", STRING),
              member("MessageGroupId", STRING))))),
          struct(member("Successful", list(struct(member("Id", STRING), member("MessageId", STRING),
                  member("SequenceNumber", STRING)))),
              member("Failed", list(struct(member("Id", STRING), member("Code", STRING), member("Message", STRING),
                  member("SenderFault", BOOLEAN)))))),
      op("PutDataProtectionPolicy", struct(member("ResourceArn", STRING), member("DataProtectionPolicy", STRING)), null),
      op("RemovePermission", struct(TOPIC_ARN, member("Label", STRING)), null),
      op("SetSubscriptionAttributes", struct(SUBSCRIPTION_ARN, member("AttributeName", STRING),
          member("AttributeValue", STRING)), null),
      op("SetTopicAttributes", struct(TOPIC_ARN, member("AttributeName", STRING), member("AttributeValue", STRING)), null),
      op("Subscribe", struct(TOPIC_ARN, member("Protocol", STRING), member("Endpoint", STRING), ATTRIBUTES,
          member("ReturnSubscriptionArn", BOOLEAN)), struct(SUBSCRIPTION_ARN)),
      op("TagResource", struct(member("ResourceArn", STRING), TAGS), struct()),
      op("Unsubscribe", struct(SUBSCRIPTION_ARN), null),
      op("UntagResource", struct(member("ResourceArn", STRING), member("TagKeys", list(STRING))), struct())));

  private SnsModel() {}

  public static boolean isOperation(String name) {
    return MODEL.isOperation(name);
  }

  static Operation operation(String name) {
    return MODEL.operation(name);
  }

  private static ListOf list(Shape member) {
    return ListOf.wrapped(member);
  }

  private static MapOf map(String keyName, String valueName, Shape value) {
    return MapOf.wrapped(keyName, valueName, value);
  }
}
