package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Write management calls reach the account's default bus as "AWS API Call via CloudTrail" events
 * (source {@code aws.<service>}, detail = the record), as the EventBridge user guide's "Events from
 * AWS services delivered via AWS CloudTrail" describes them; read-only calls do not.
 */
class CloudTrailBusEventsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  /** The seed's pattern 7: a bucket or a queue is deleted -> rule on the default bus -> SNS topic -> the on-call queue. */
  @Test
  void deletingABucketOrAQueueAlertsTheOnCallQueueThroughATopic() {
    String onCall = server.sqs().createQueue(b -> b.queueName("ct-on-call")).queueUrl();
    String topic = server.sns().createTopic(b -> b.name("ct-deletions")).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arnOf(onCall)));
    server.eventBridge().putRule(b -> b.name("ct-deletions").eventPattern("{\"source\":[\"aws.s3\",\"aws.sqs\"],"
        + "\"detail-type\":[\"AWS API Call via CloudTrail\"],"
        + "\"detail\":{\"eventName\":[\"DeleteBucket\",\"DeleteQueue\"]}}"));
    server.eventBridge().putTargets(b -> b.rule("ct-deletions").targets(Target.builder().id("alerts").arn(topic).build()));

    server.s3().createBucket(b -> b.bucket("ct-doomed-bucket"));
    server.s3().deleteBucket(b -> b.bucket("ct-doomed-bucket"));
    String doomed = server.sqs().createQueue(b -> b.queueName("ct-doomed-queue")).queueUrl();
    server.sqs().deleteQueue(b -> b.queueUrl(doomed));

    List<JsonObject> alerts = receive(onCall, 2);
    JsonObject bucket = alerts.stream().filter(a -> a.getString("source").equals("aws.s3")).findFirst().orElseThrow();
    assertThat(bucket.fieldNames()).containsExactly("version", "id", "detail-type", "source", "account", "time", "region",
        "resources", "detail");
    assertThat(bucket.getString("detail-type")).isEqualTo("AWS API Call via CloudTrail");
    assertThat(bucket.getString("account")).isEqualTo("000000000000");
    assertThat(bucket.getString("region")).isEqualTo("us-east-1");
    assertThat(bucket.getJsonArray("resources")).isEmpty();
    JsonObject detail = bucket.getJsonObject("detail");
    assertThat(detail.getString("eventSource")).isEqualTo("s3.amazonaws.com");
    assertThat(detail.getString("eventName")).isEqualTo("DeleteBucket");
    assertThat(detail.getString("eventType")).isEqualTo("AwsApiCall");
    assertThat(detail.getString("eventVersion")).isEqualTo("1.11");
    assertThat(detail.getJsonObject("requestParameters").getString("bucketName")).isEqualTo("ct-doomed-bucket");
    assertThat(bucket.getString("time")).isEqualTo(detail.getString("eventTime"));
    JsonObject queue = alerts.stream().filter(a -> a.getString("source").equals("aws.sqs")).findFirst().orElseThrow();
    assertThat(queue.getJsonObject("detail").getString("eventName")).isEqualTo("DeleteQueue");
    assertThat(queue.getJsonObject("detail").getJsonObject("requestParameters").getString("queueUrl")).isEqualTo(doomed);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
        .until(() -> server.sqs().receiveMessage(b -> b.queueUrl(onCall).waitTimeSeconds(0)).messages().isEmpty());
  }

  @Test
  void readOnlyCallsSendNothingAndWritesOfEveryServiceDo() {
    String seen = server.sqs().createQueue(b -> b.queueName("ct-all-writes")).queueUrl();
    server.eventBridge().putRule(b -> b.name("ct-all-writes").eventPattern(
        "{\"detail-type\":[\"AWS API Call via CloudTrail\"],\"detail\":{\"eventName\":[{\"prefix\":\"Tag\"},"
            + "\"ListQueues\",\"GetQueueUrl\",\"ListTopics\"]}}"));
    server.eventBridge().putTargets(b -> b.rule("ct-all-writes").targets(Target.builder().id("q").arn(arnOf(seen)).build()));
    server.sqs().listQueues();
    server.sqs().getQueueUrl(b -> b.queueName("ct-all-writes"));
    server.sns().listTopics();
    server.sqs().tagQueue(b -> b.queueUrl(seen).tags(java.util.Map.of("team", "audit")));
    List<JsonObject> events = receive(seen, 1);
    assertThat(events.get(0).getString("source")).isEqualTo("aws.sqs");
    assertThat(events.get(0).getJsonObject("detail").getString("eventName")).isEqualTo("TagQueue");
    assertThat(events.get(0).getJsonObject("detail").getJsonObject("requestParameters").getJsonObject("tags"))
        .isEqualTo(new JsonObject().put("team", "audit"));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
        .until(() -> server.sqs().receiveMessage(b -> b.queueUrl(seen).waitTimeSeconds(0)).messages().isEmpty());
  }

  private static List<JsonObject> receive(String url, int count) {
    List<JsonObject> out = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (Message m : server.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject body = new JsonObject(m.body());
        out.add(body.containsKey("Type") && body.containsKey("Message") ? new JsonObject(body.getString("Message")) : body);
        server.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return out.size() >= count;
    });
    return out;
  }

  private static String arnOf(String url) {
    return server.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }
}
