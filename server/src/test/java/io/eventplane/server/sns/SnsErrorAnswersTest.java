package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * SNS's error answers, pinned row by row to what AWS answered when LocalStack recorded its
 * snapshots against real AWS ({@code tests/aws/services/sns/test_sns.snapshot.json}): status,
 * code and the exact message. Each table runs every row and reports every mismatch at once.
 */
class SnsErrorAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static final String HEX_TOKEN = "51b2ff3edb475b7d91550e0ab6edf0c1de2a34e6ebaf6c2262a001bcb7e051c4";

  /** One call and the error AWS answers it with. */
  private record Row(String name, Consumer<SnsClient> call, int status, String code, String message) {}

  private static Row row(String name, int status, String code, String message, Consumer<SnsClient> call) {
    return new Row(name, call, status, code, message);
  }

  private static void check(SnsClient client, List<Row> rows) {
    SoftAssertions soft = new SoftAssertions();
    for (Row r : rows) {
      try {
        r.call().accept(client);
        soft.fail(r.name() + ": succeeded, expected " + r.code());
      } catch (SnsException e) {
        soft.assertThat(e.statusCode()).as(r.name() + " status").isEqualTo(r.status());
        soft.assertThat(e.awsErrorDetails().errorCode()).as(r.name() + " code").isEqualTo(r.code());
        soft.assertThat(e.awsErrorDetails().errorMessage()).as(r.name() + " message").isEqualTo(r.message());
      }
    }
    soft.assertAll();
  }

  private SnsClient sns() {
    return server.sns();
  }

  private static String queueArn(String name) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
  }

  private static MessageAttributeValue attr(String type, String string, byte[] binary) {
    MessageAttributeValue.Builder b = MessageAttributeValue.builder().dataType(type);
    if (string != null) b.stringValue(string);
    if (binary != null) b.binaryValue(SdkBytes.fromByteArray(binary));
    return b.build();
  }

  @Test
  void arnsAreCheckedForTheirElementsAndTopicsForTheirExistence() {
    String topic = sns().createTopic(b -> b.name("arns")).topicArn();
    check(sns(), List.of(
        row("publish randomstring", 400, "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
            c -> c.publish(b -> b.topicArn("randomstring").message("m"))),
        row("publish randomstring:1", 400, "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2",
            c -> c.publish(b -> b.topicArn("randomstring:1").message("m"))),
        row("publish empty topic", 400, "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
            c -> c.publish(b -> b.topicArn("").message("m"))),
        row("get attributes malformed", 400, "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
            c -> c.getTopicAttributes(b -> b.topicArn("test-topic"))),
        row("subscribe five elements", 400, "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5",
            c -> c.subscribe(b -> b.topicArn("arn:aws:sns:us-east-1:random").protocol("sqs").endpoint(queueArn("q")))),
        row("subscribe unknown topic", 404, "NotFound", "Topic does not exist",
            c -> c.subscribe(b -> b.topicArn(topic + "aaa").protocol("sqs").endpoint(queueArn("q")))),
        row("publish unknown topic", 404, "NotFound", "Topic does not exist",
            c -> c.publish(b -> b.topicArn(topic + "-fake").message("m"))),
        row("publish batch unknown topic", 404, "NotFound", "Topic does not exist",
            c -> c.publishBatch(b -> b.topicArn(topic + "-fake")
                .publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("1").message("m").build()))),
        row("publish to a missing platform endpoint", 400, "InvalidParameter",
            "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
            c -> c.publish(b -> b.targetArn("arn:aws:sns:us-east-1:" + ACCOUNT
                + ":endpoint/APNS/abcdef/0f7d5971-aa8b-4bd5-b585-0826e9f93a66").message("push"))),
        row("publish without any target", 400, "InvalidParameter",
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
            c -> c.publish(b -> b.message("m"))),
        row("publish to a bad phone number", 400, "InvalidParameter",
            "Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to",
            c -> c.publish(b -> b.phoneNumber("+1a234").message("m"))),
        row("create topic without a name", 400, "ValidationError",
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
            c -> c.createTopic(b -> { })),
        row("set FifoTopic after creation", 400, "InvalidParameter", "Invalid parameter: AttributeName",
            c -> c.setTopicAttributes(b -> b.topicArn(topic).attributeName("FifoTopic").attributeValue("false")))));
    // A publish with no subscriber is accepted.
    assertThat(sns().publish(b -> b.topicArn(topic).message("nobody listens")).messageId()).isNotBlank();
  }

  @Test
  void anotherRegionsTopicIsAnInvalidTopicArn() throws Exception {
    String topic = sns().createTopic(b -> b.name("regional")).topicArn();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("regional-q"))).subscriptionArn();
    try (SnsClient west = SnsClient.builder().endpointOverride(server.endpoint()).region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      String invalid = "Invalid parameter: TopicArn";
      check(west, List.of(
          row("set attributes", 400, "InvalidParameter", invalid,
              c -> c.setTopicAttributes(b -> b.topicArn(topic).attributeName("DisplayName").attributeValue("xenon"))),
          row("get attributes", 400, "InvalidParameter", invalid, c -> c.getTopicAttributes(b -> b.topicArn(topic))),
          row("publish", 400, "InvalidParameter", invalid, c -> c.publish(b -> b.topicArn(topic).message("hello world"))),
          row("publish batch", 400, "InvalidParameter", invalid, c -> c.publishBatch(b -> b.topicArn(topic)
              .publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("1").message("m").build()))),
          row("subscribe", 400, "InvalidParameter", invalid,
              c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("q")))),
          row("list subscriptions", 400, "InvalidParameter", invalid, c -> c.listSubscriptionsByTopic(b -> b.topicArn(topic))),
          row("delete topic", 400, "InvalidParameter", invalid, c -> c.deleteTopic(b -> b.topicArn(topic))),
          // Clients configured for another region than the topic's get these (the issues of boto3,
          // django-anymail and ex_aws quote AWS's "Invalid parameter: TopicArn" for ConfirmSubscription).
          row("confirm subscription", 400, "InvalidParameter", invalid,
              c -> c.confirmSubscription(b -> b.topicArn(topic).token(HEX_TOKEN))),
          row("unsubscribe", 400, "InvalidParameter", "Invalid parameter: SubscriptionArn",
              c -> c.unsubscribe(b -> b.subscriptionArn(sub)))));
      // An UnsubscribeURL is opened unsigned: its ARN's region is the call's (SNS's regional host says it).
      String westTopic = west.createTopic(b -> b.name("western")).topicArn();
      String westSub = west.subscribe(b -> b.topicArn(westTopic).protocol("sqs")
          .endpoint("arn:aws:sqs:eu-central-1:" + ACCOUNT + ":western-q")).subscriptionArn();
      java.net.http.HttpResponse<String> opened = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/?Action=Unsubscribe&SubscriptionArn=" + westSub)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
      assertThat(west.listSubscriptionsByTopic(b -> b.topicArn(westTopic)).subscriptions()).isEmpty();
    }
    // Still there, in its own region.
    assertThat(sns().getTopicAttributes(b -> b.topicArn(topic)).attributes()).containsEntry("TopicArn", topic);
    assertThat(sns().listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).hasSize(1);
  }

  @Test
  void publishBatchRefusesTheWholeRequest() {
    String fifo = sns().createTopic(b -> b.name("batch.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
    String standard = sns().createTopic(b -> b.name("batch")).topicArn();
    List<PublishBatchRequestEntry> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) eleven.add(PublishBatchRequestEntry.builder().id("Id_" + i).message("Too many messages").build());
    PublishBatchRequestEntry half = PublishBatchRequestEntry.builder().id("1").message("a".repeat(131_072)).build();
    PublishBatchRequestEntry overHalf = PublishBatchRequestEntry.builder().id("2").message("b".repeat(131_073)).build();
    check(sns(), List.of(
        row("no group id", 400, "InvalidParameter",
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
            c -> c.publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("1").message("Test message without Group ID").build()))),
        row("too many entries", 400, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible.",
            c -> c.publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(eleven))),
        row("same ids", 400, "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.",
            c -> c.publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("1").message("Messages with the same ID").build(),
                PublishBatchRequestEntry.builder().id("1").message("Messages with the same ID").build()))),
        row("no dedup id", 400, "InvalidParameter",
            "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
            c -> c.publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("1").message("no dedup").messageGroupId("g").build()))),
        row("no default key", 400, "InvalidParameter",
            "Invalid parameter: Message Structure - No default entry in JSON message body",
            c -> c.publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("1").message("{\"sqs\":\"x\"}").messageStructure("json")
                    .messageGroupId("g").messageDeduplicationId("d").build()))),
        row("too long", 400, "BatchRequestTooLong", "The length of all the messages put together is more than the limit.",
            c -> c.publishBatch(b -> b.topicArn(standard).publishBatchRequestEntries(half, overHalf))),
        row("missing data type in an entry", 400, "ValidationError",
            "1 validation error detected: Value null at 'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType'"
                + " failed to satisfy constraint: Member must not be null",
            c -> c.publishBatch(b -> b.topicArn(standard).publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("1")
                .message("m").messageAttributes(Map.of("attr1", MessageAttributeValue.builder().stringValue("v").build())).build()))),
        row("empty string attribute in an entry", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.",
            c -> c.publishBatch(b -> b.topicArn(standard).publishBatchRequestEntries(PublishBatchRequestEntry.builder().id("1")
                .message("m").messageAttributes(Map.of("attr1", attr("String", "", null))).build())))));
    // Nothing of the refused batches was accepted: a valid batch gets sequence numbers from the start.
    var ok = sns().publishBatch(b -> b.topicArn(fifo).publishBatchRequestEntries(
        PublishBatchRequestEntry.builder().id("a").message("x").messageGroupId("g").messageDeduplicationId("d1").build()));
    assertThat(ok.failed()).isEmpty();
    assertThat(ok.successful()).hasSize(1);
  }

  @Test
  void publishRefusesBadSubjectsStructuresAndAttributes() {
    String topic = sns().createTopic(b -> b.name("publish-checks")).topicArn();
    byte[] bytes = {2, 3, 4};
    String nonEmpty = "must contain non-empty message attribute value for message attribute type";
    check(sns(), List.of(
        row("empty subject", 400, "InvalidParameter", "Invalid parameter: Subject",
            c -> c.publish(b -> b.topicArn(topic).subject("").message("{\"message\": \"test_publish\"}"))),
        row("empty message", 400, "InvalidParameter", "Invalid parameter: Empty message",
            c -> c.publish(b -> b.topicArn(topic).message(""))),
        row("missing message", 400, "ValidationError",
            "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
            c -> c.publish(b -> b.topicArn(topic))),
        row("too long", 400, "InvalidParameter", "Invalid parameter: Message too long",
            c -> c.publish(b -> b.topicArn(topic).message("This is a test message".repeat(12_000)))),
        row("structure without default", 400, "InvalidParameter",
            "Invalid parameter: Message Structure - No default entry in JSON message body",
            c -> c.publish(b -> b.topicArn(topic).messageStructure("json").message("{\"sqs\": \"Test message\"}"))),
        row("structure not JSON", 400, "InvalidParameter",
            "Invalid parameter: Message Structure - JSON message body failed to parse",
            c -> c.publish(b -> b.topicArn(topic).messageStructure("json").message("{\"default\": \"This is a default message\"} }"))),
        row("structure default not a string", 400, "InvalidParameter",
            "Invalid parameter: Message Structure - No default entry in JSON message body",
            c -> c.publish(b -> b.topicArn(topic).messageStructure("json").message("{\"default\": {\"object\": \"test\"}}"))),
        row("dedup id on a standard topic", 400, "InvalidParameter",
            "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageDeduplicationId("d"))),
        row("string attribute without value", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' " + nonEmpty + " 'String'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("String", null, null))))),
        row("empty string attribute", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' " + nonEmpty + " 'String'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("String", "", null))))),
        row("binary attribute without value", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' " + nonEmpty + " 'Binary'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("Binary", null, null))))),
        row("missing data type", 400, "ValidationError",
            "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr(null, "v", null))))),
        row("string attribute in the binary field", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' with type 'String' must use field 'String'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("String", null, bytes))))),
        row("number attribute in the binary field", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' with type 'Number' must use field 'String'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("Number", null, bytes))))),
        row("binary attribute in the string field", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("Binary", "v", null))))),
        row("unknown type", 400, "ParameterValueInvalid",
            "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr1", attr("InvalidType", "v", null))))),
        row("name too long", 400, "ParameterValueInvalid", "Length of message attribute name must be less than 256 bytes.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("a".repeat(257), attr("String", "v", null))))),
        row("name with a caret", 400, "ParameterValueInvalid",
            "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr^1", attr("String", "v", null))))),
        row("name starting with a dot", 400, "ParameterValueInvalid",
            "Invalid message attribute name starting with character '.' was found.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of(".attr", attr("String", "v", null))))),
        row("name ending with a dot", 400, "ParameterValueInvalid",
            "Invalid message attribute name ending with character '.' was found.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("attr.", attr("String", "v", null))))),
        row("name with two dots", 400, "ParameterValueInvalid", "Message attribute name can not have successive '.' character.",
            c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("at..tr", attr("String", "v", null)))))));
    // SNS's own attributes for SMS and mobile push may be given; other AWS. names are reserved.
    assertThat(sns().publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("AWS.SNS.SMS.SMSType",
        attr("String", "Transactional", null)))).messageId()).isNotBlank();
    check(sns(), List.of(row("reserved prefix", 400, "InvalidParameter",
        "Invalid parameter: MessageAttributes Reason: Invalid attribute name: AWS.Mine",
        c -> c.publish(b -> b.topicArn(topic).message("m").messageAttributes(Map.of("AWS.Mine", attr("String", "v", null)))))));
    // Duplicate keys in a JSON message structure are accepted, as by SNS.
    assertThat(sns().publish(b -> b.topicArn(topic).messageStructure("json")
        .message("{\"default\": \"This is a default message\", \"default\": \"Duplicate\"}")).messageId()).isNotBlank();
  }

  @Test
  void subscriptionsAndTheirAttributesAreRefusedInSnsWords() {
    String topic = sns().createTopic(b -> b.name("subs")).topicArn();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("subs-q"))).subscriptionArn();
    String jsonError = "failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n"
        + " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2]";
    check(sns(), List.of(
        row("unknown attribute", 400, "InvalidParameter", "Invalid parameter: AttributeName",
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("FakeAttribute").attributeValue("test-value"))),
        row("raw delivery neither true nor false", 400, "InvalidParameter",
            "Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.",
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("RawMessageDelivery").attributeValue("test-ValUe"))),
        row("raw delivery empty", 400, "InvalidParameter",
            "Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.",
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("RawMessageDelivery").attributeValue(""))),
        row("redrive to no ARN", 400, "InvalidParameter", "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn",
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("RedrivePolicy")
                .attributeValue("{\"deadLetterTargetArn\": \"fake-arn\"}"))),
        row("redrive not JSON", 400, "InvalidParameter", "Invalid parameter: RedrivePolicy: " + jsonError,
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("RedrivePolicy").attributeValue("{invalidjson}"))),
        row("filter policy not JSON", 400, "InvalidParameter", "Invalid parameter: FilterPolicy: " + jsonError,
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("FilterPolicy").attributeValue("{invalidjson}"))),
        row("filter policy scope", 400, "InvalidParameter",
            "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes",
            c -> c.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("FilterPolicyScope").attributeValue("RandomValue"))),
        row("subscribe with a bad raw delivery", 400, "InvalidParameter",
            "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("other"))
                .attributes(Map.of("RawMessageDelivery", "wrongvalue")))),
        row("subscribe with a filter policy that is no JSON", 400, "InvalidParameter",
            "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON. Unrecognized token 'invalid': was expecting "
                + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n"
                + " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 8]",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("other"))
                .attributes(Map.of("FilterPolicy", "invalid-json")))),
        row("subscribe again with other attributes", 400, "InvalidParameter",
            "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("subs-q"))
                .attributes(Map.of("RawMessageDelivery", "true")))),
        row("FIFO queue on a standard topic", 400, "InvalidParameter",
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("q.fifo")))),
        row("queue URL for an endpoint", 400, "InvalidParameter", "Invalid parameter: SQS endpoint ARN",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("http://localhost:4566/" + ACCOUNT + "/q"))),
        row("SMS endpoint that is no phone number", 400, "InvalidParameter", "Invalid SMS endpoint: invalid-number",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("invalid-number"))),
        row("unknown protocol", 400, "InvalidParameter", "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol",
            c -> c.subscribe(b -> b.topicArn(topic).protocol("test-protocol").endpoint("localstack@yopmail.com"))),
        row("attributes of a missing subscription", 404, "NotFound", "Subscription does not exist",
            c -> c.getSubscriptionAttributes(b -> b.subscriptionArn(topic + ":0f7d5971-aa8b-4bd5-b585-0826e9f93a66"))),
        row("attributes of a topic's ARN", 400, "InvalidParameter", "Invalid parameter: SubscriptionId",
            c -> c.getSubscriptionAttributes(b -> b.subscriptionArn(topic)))));
    // The same subscription again, with attributes at their defaults, is the same subscription.
    assertThat(sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("subs-q"))
        .attributes(Map.of("RawMessageDelivery", "false", "FilterPolicyScope", "MessageAttributes"))).subscriptionArn()).isEqualTo(sub);
  }

  @Test
  void unsubscribeIsIdempotentAndChecksTheArn() {
    String topic = sns().createTopic(b -> b.name("leaving")).topicArn();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("leaving-q"))).subscriptionArn();
    sns().unsubscribe(b -> b.subscriptionArn(sub));
    sns().unsubscribe(b -> b.subscriptionArn(sub));
    String deleted = sns().createTopic(b -> b.name("deleted")).topicArn();
    String pending = sns().subscribe(b -> b.topicArn(deleted).protocol("http").endpoint("http://example.com/")).subscriptionArn();
    assertThat(pending).isEqualTo("pending confirmation");
    sns().deleteTopic(b -> b.topicArn(deleted));
    check(sns(), List.of(
        row("random string", 400, "InvalidParameter",
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
            c -> c.unsubscribe(b -> b.subscriptionArn("randomstring"))),
        row("five elements", 400, "InvalidParameter",
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5",
            c -> c.unsubscribe(b -> b.subscriptionArn("arn:aws:sns:us-east-1:random"))),
        row("no subscription id", 400, "InvalidParameter", "Invalid parameter: SubscriptionId",
            c -> c.unsubscribe(b -> b.subscriptionArn("arn:aws:sns:us-east-1:111111111111:random"))),
        row("no subscription ARN", 400, "InvalidParameter",
            "Invalid parameter: SubscriptionArn Reason: no value for required parameter",
            c -> c.unsubscribe(b -> { })),
        row("pending subscription of a deleted topic", 400, "InvalidParameter",
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
            c -> c.unsubscribe(b -> b.subscriptionArn(pending)))));
  }

  @Test
  void confirmSubscriptionRefusesTokensAndTopicsInSnsWords() {
    String topic = sns().createTopic(b -> b.name("confirming")).topicArn();
    check(sns(), List.of(
        row("unknown topic", 400, "InvalidParameter", "Invalid parameter: Token",
            c -> c.confirmSubscription(b -> b.topicArn(topic.substring(0, topic.length() - 1) + "i").token(HEX_TOKEN))),
        row("malformed token", 400, "InvalidParameter", "Invalid token",
            c -> c.confirmSubscription(b -> b.topicArn(topic).token("randomtoken"))),
        row("unknown token", 400, "InvalidParameter", "Invalid parameter: Token",
            c -> c.confirmSubscription(b -> b.topicArn(topic).token(HEX_TOKEN))),
        row("no topic ARN", 400, "InvalidParameter", "Invalid parameter: Topic",
            c -> c.confirmSubscription(b -> b.topicArn("not-an-arn").token(HEX_TOKEN)))));
  }

  @Test
  void tagsWithTheSameKeyTwiceAreRefused() {
    String topic = sns().createTopic(b -> b.name("tagged")).topicArn();
    check(sns(), List.of(
        row("duplicate keys", 400, "InvalidParameter", "Invalid parameter: Duplicated keys are not allowed.",
            c -> c.tagResource(b -> b.resourceArn(topic).tags(Tag.builder().key("k1").value("v1").build(),
                Tag.builder().key("k2").value("v2").build(), Tag.builder().key("k2").value("v2").build())))));
    assertThat(sns().listTagsForResource(b -> b.resourceArn(topic)).tags()).isEmpty();
  }
}
