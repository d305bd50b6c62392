package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Every API call the gateway answers becomes a CloudTrail record with the fields of the CloudTrail
 * user guide's record contents (eventVersion 1.11); the SQS shapes follow the guide's "Amazon SQS
 * information in CloudTrail" examples (requestParameters {@code queueName}, responseElements
 * {@code queueUrl}). Data calls (SendMessage, Publish, PutObject) are not recorded without a trail
 * that selects them, and no body ever enters a record.
 */
class CloudTrailRecordsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static CloudTrailClient cloudTrail;
  private static final String ACCOUNT = "000000000000";

  @BeforeAll
  static void client() {
    cloudTrail = CloudTrailClients.of(server);
  }

  @AfterAll
  static void close() {
    cloudTrail.close();
  }

  /** The events of a resource, once {@code count} of them are there. */
  static List<Event> eventsOf(CloudTrailClient client, String resourceName, int count) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> client.lookupEvents(b -> b.lookupAttributes(a -> a
        .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(resourceName))).events(), e -> e.size() >= count);
  }

  @Test
  void aQueuesCreateAndDeleteAreRecordedWithCloudTrailsFields() {
    String url = server.sqs().createQueue(b -> b.queueName("ct-records-q")).queueUrl();
    server.sqs().deleteQueue(b -> b.queueUrl(url));
    List<Event> events = eventsOf(cloudTrail, url, 2);
    assertThat(events).extracting(Event::eventName).containsExactly("DeleteQueue", "CreateQueue");
    Event created = events.get(1);
    assertThat(created.eventSource()).isEqualTo("sqs.amazonaws.com");
    assertThat(created.readOnly()).isEqualTo("false");
    assertThat(created.accessKeyId()).isEqualTo("test");
    assertThat(created.username()).isEqualTo("root");
    assertThat(created.resources()).anySatisfy(r -> {
      assertThat(r.resourceType()).isEqualTo("AWS::SQS::Queue");
      assertThat(r.resourceName()).isEqualTo("ct-records-q");
    });
    JsonObject record = new JsonObject(created.cloudTrailEvent());
    assertThat(record.fieldNames()).containsExactly("eventVersion", "userIdentity", "eventTime", "eventSource", "eventName",
        "awsRegion", "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "requestID", "eventID",
        "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory");
    assertThat(record.getString("eventVersion")).isEqualTo("1.11");
    assertThat(record.getJsonObject("userIdentity")).isEqualTo(new JsonObject().put("type", "Root").put("principalId", ACCOUNT)
        .put("arn", "arn:aws:iam::" + ACCOUNT + ":root").put("accountId", ACCOUNT).put("accessKeyId", "test"));
    assertThat(record.getString("eventTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(Instant.parse(record.getString("eventTime")).getEpochSecond()).isEqualTo(created.eventTime().getEpochSecond());
    assertThat(record.getString("eventName")).isEqualTo("CreateQueue");
    assertThat(record.getString("awsRegion")).isEqualTo("us-east-1");
    assertThat(record.getString("sourceIPAddress")).isEqualTo("127.0.0.1");
    assertThat(record.getString("userAgent")).contains("aws-sdk-java");
    assertThat(record.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("queueName", "ct-records-q"));
    assertThat(record.getJsonObject("responseElements")).isEqualTo(new JsonObject().put("queueUrl", url));
    assertThat(record.getString("requestID")).isNotBlank();
    assertThat(record.getString("eventID")).isEqualTo(created.eventId());
    assertThat(record.getBoolean("readOnly")).isFalse();
    assertThat(record.getString("eventType")).isEqualTo("AwsApiCall");
    assertThat(record.getBoolean("managementEvent")).isTrue();
    assertThat(record.getString("recipientAccountId")).isEqualTo(ACCOUNT);
    assertThat(record.getString("eventCategory")).isEqualTo("Management");
  }

  @Test
  void aFailedCallIsRecordedWithItsErrorCodeAndMessage() {
    String url = server.sqs().createQueue(b -> b.queueName("ct-failed-q")).queueUrl();
    server.sqs().deleteQueue(b -> b.queueUrl(url));
    assertThatThrownBy(() -> server.sqs().deleteQueue(b -> b.queueUrl(url))).isInstanceOf(QueueDoesNotExistException.class);
    List<Event> events = eventsOf(cloudTrail, url, 3);
    JsonObject failed = new JsonObject(events.get(0).cloudTrailEvent());
    assertThat(failed.getString("eventName")).isEqualTo("DeleteQueue");
    assertThat(failed.getString("errorCode")).isNotBlank();
    assertThat(failed.getString("errorMessage")).isNotBlank();
    assertThat(failed.containsKey("responseElements")).isTrue();
    assertThat(failed.getValue("responseElements")).isNull();
  }

  @Test
  void callsOfSeveralServicesAreRecordedWithTheirSources() {
    server.s3().createBucket(b -> b.bucket("ct-records-bucket"));
    String topic = server.sns().createTopic(b -> b.name("ct-records-topic")).topicArn();
    server.eventBridge().putRule(b -> b.name("ct-records-rule").eventPattern("{\"source\":[\"x\"]}"));
    server.sqs().listQueues();
    Event bucket = eventsOf(cloudTrail, "ct-records-bucket", 1).get(0);
    assertThat(bucket.eventSource()).isEqualTo("s3.amazonaws.com");
    assertThat(bucket.eventName()).isEqualTo("CreateBucket");
    assertThat(bucket.resources()).anySatisfy(r -> assertThat(r.resourceType()).isEqualTo("AWS::S3::Bucket"));
    assertThat(new JsonObject(bucket.cloudTrailEvent()).getJsonObject("requestParameters").getString("bucketName"))
        .isEqualTo("ct-records-bucket");
    Event created = eventsOf(cloudTrail, topic, 1).get(0);
    assertThat(created.eventSource()).isEqualTo("sns.amazonaws.com");
    assertThat(created.eventName()).isEqualTo("CreateTopic");
    Event rule = eventsOf(cloudTrail, "ct-records-rule", 1).get(0);
    assertThat(rule.eventSource()).isEqualTo("events.amazonaws.com");
    assertThat(rule.resources()).anySatisfy(r -> assertThat(r.resourceType()).isEqualTo("AWS::Events::Rule"));
    Event list = await().atMost(Duration.ofSeconds(20)).until(() -> cloudTrail.lookupEvents(b -> b.lookupAttributes(a -> a
        .attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("ListQueues"))).events(), e -> !e.isEmpty()).get(0);
    assertThat(list.readOnly()).isEqualTo("true");
    JsonObject listed = new JsonObject(list.cloudTrailEvent());
    assertThat(listed.getValue("responseElements")).isNull();
    assertThat(listed.getBoolean("readOnly")).isTrue();
  }

  @Test
  void dataCallsAreNotRecordedAndNoBodyEntersARecord() {
    String url = server.sqs().createQueue(b -> b.queueName("ct-data-q")).queueUrl();
    server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("secret-message-body"));
    server.sqs().receiveMessage(b -> b.queueUrl(url));
    server.s3().createBucket(b -> b.bucket("ct-data-bucket"));
    server.s3().putObject(b -> b.bucket("ct-data-bucket").key("k"), RequestBody.fromString("secret-object-bytes"));
    server.sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(java.util.Map.of("DelaySeconds", "1")));
    List<Event> events = eventsOf(cloudTrail, url, 2);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      LookupEventsResponse all = cloudTrail.lookupEvents(b -> b.maxResults(50));
      assertThat(all.events()).extracting(Event::eventName).doesNotContain("SendMessage", "ReceiveMessage", "PutObject");
      assertThat(all.events()).allSatisfy(e -> assertThat(e.cloudTrailEvent()).doesNotContain("secret-"));
    });
    assertThat(events).extracting(Event::eventName).containsExactly("SetQueueAttributes", "CreateQueue");
    assertThat(new JsonObject(events.get(0).cloudTrailEvent()).getJsonObject("requestParameters"))
        .isEqualTo(new JsonObject().put("queueUrl", url).put("attributes", new JsonObject().put("DelaySeconds", "1")));
  }
}
