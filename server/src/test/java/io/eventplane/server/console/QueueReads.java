package io.eventplane.server.console;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the console's tests read back from a queue with the SDK, to check what a page did. */
final class QueueReads {
  private QueueReads() {}

  static String queueArn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  /** At least {@code atLeast} messages (with their attributes), waiting up to 20 s. */
  static List<Message> receive(SqsClient sqs, String url, int atLeast) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageAttributeNames("All")).messages());
      return got.size() >= atLeast;
    });
    return got;
  }

  /** The first S3 event record the queue receives (S3's s3:TestEvent, sent when the configuration is set, skipped). */
  static JsonObject s3Record(SqsClient sqs, String url) {
    JsonObject[] found = {null};
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject body = new JsonObject(m.body());
        if (body.getJsonArray("Records") != null) found[0] = body.getJsonArray("Records").getJsonObject(0);
      }
      return found[0] != null;
    });
    return found[0];
  }
}
