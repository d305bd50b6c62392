package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The fan-out pattern: one publish reaches every subscribed queue, as SNS delivers it. */
class FanOutTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private SnsClient sns() {
    return server.sns();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  static String queueArn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  static List<Message> receiveAll(SqsClient sqs, String url, int expected) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All")).messages()) {
        got.add(m);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
      return got.size() >= expected;
    });
    return got;
  }

  @Test
  void onePublishReachesEveryQueueInTheSnsEnvelope() {
    String topic = sns().createTopic(b -> b.name("orders")).topicArn();
    List<String> queues = new ArrayList<>();
    for (String name : List.of("billing", "shipping", "audit")) {
      String url = sqs().createQueue(b -> b.queueName(name)).queueUrl();
      queues.add(url);
      sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url)));
    }
    PublishResponse published = sns().publish(b -> b.topicArn(topic).message("order 42 placed").subject("New order")
        .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build())));
    for (String url : queues) {
      Message m = receiveAll(sqs(), url, 1).get(0);
      JsonObject envelope = new JsonObject(m.body());
      assertThat(envelope.fieldNames()).containsExactly("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
          "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes");
      assertThat(envelope.getString("Type")).isEqualTo("Notification");
      assertThat(envelope.getString("MessageId")).isEqualTo(published.messageId());
      assertThat(envelope.getString("TopicArn")).isEqualTo(topic);
      assertThat(envelope.getString("Subject")).isEqualTo("New order");
      assertThat(envelope.getString("Message")).isEqualTo("order 42 placed");
      assertThat(envelope.getString("Timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(envelope.getString("SigningCertURL")).startsWith(server.endpoint() + "/_eventplane/sns/");
      assertThat(envelope.getString("UnsubscribeURL")).startsWith(server.endpoint() + "/?Action=Unsubscribe&SubscriptionArn=" + topic + ":");
      assertThat(envelope.getJsonObject("MessageAttributes").getJsonObject("kind").getMap())
          .containsExactly(Map.entry("Type", "String"), Map.entry("Value", "order"));
      assertThat(m.messageAttributes()).isEmpty();
    }
  }

  @Test
  void rawDeliveryCarriesTheMessageAndItsAttributesAsSqsAttributes() {
    String topic = sns().createTopic(b -> b.name("raw")).topicArn();
    String url = sqs().createQueue(b -> b.queueName("raw-q")).queueUrl();
    sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url))
        .attributes(Map.of("RawMessageDelivery", "true")));
    sns().publish(b -> b.topicArn(topic).message("{\"id\":1}").messageAttributes(Map.of(
        "store", MessageAttributeValue.builder().dataType("String").stringValue("berlin").build(),
        "price", MessageAttributeValue.builder().dataType("Number").stringValue("12.5").build(),
        "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("xyz")).build())));
    Message m = receiveAll(sqs(), url, 1).get(0);
    assertThat(m.body()).isEqualTo("{\"id\":1}");
    assertThat(m.messageAttributes().get("store").stringValue()).isEqualTo("berlin");
    assertThat(m.messageAttributes().get("price").dataType()).isEqualTo("Number");
    assertThat(m.messageAttributes().get("price").stringValue()).isEqualTo("12.5");
    assertThat(m.messageAttributes().get("blob").binaryValue().asUtf8String()).isEqualTo("xyz");
  }

  @Test
  void messageStructureJsonSendsEachProtocolItsOwnMessage() {
    String topic = sns().createTopic(b -> b.name("structured")).topicArn();
    String url = sqs().createQueue(b -> b.queueName("structured-q")).queueUrl();
    sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url)));
    sns().publish(b -> b.topicArn(topic).messageStructure("json")
        .message("{\"default\":\"for everyone\",\"sqs\":\"for queues\",\"http\":\"for web hooks\"}"));
    Message m = receiveAll(sqs(), url, 1).get(0);
    assertThat(new JsonObject(m.body()).getString("Message")).isEqualTo("for queues");
  }

  @Test
  void publishBatchDeliversEveryEntryAndRefusesABadOneWhole() {
    String topic = sns().createTopic(b -> b.name("batch")).topicArn();
    String url = sqs().createQueue(b -> b.queueName("batch-q")).queueUrl();
    sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url))
        .attributes(Map.of("RawMessageDelivery", "true")));
    // SNS refuses the whole request for one bad entry (test_publish_batch_exceptions), listing none under Failed.
    assertThatThrownBy(() -> sns().publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
        PublishBatchRequestEntry.builder().id("a").message("zero").build(),
        PublishBatchRequestEntry.builder().id("c").message("three").messageStructure("json").build())))
        .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Invalid parameter: Message Structure - JSON message body failed to parse");
        });
    PublishBatchResponse r = sns().publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
        PublishBatchRequestEntry.builder().id("a").message("one").build(),
        PublishBatchRequestEntry.builder().id("b").message("two").build()));
    assertThat(r.successful()).extracting(e -> e.id()).containsExactly("a", "b");
    assertThat(r.failed()).isEmpty();
    assertThat(receiveAll(sqs(), url, 2)).extracting(Message::body).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void fifoTopicKeepsOrderPerGroupIntoFifoQueuesAndDeduplicates() {
    String topic = sns().createTopic(b -> b.name("prices.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
    List<String> queues = new ArrayList<>();
    for (String name : List.of("wholesale.fifo", "retail.fifo")) {
      String url = sqs().createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
      queues.add(url);
      sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url))
          .attributes(Map.of("RawMessageDelivery", "true")));
    }
    List<String> sequenceNumbers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      PublishResponse r = sns().publish(b -> b.topicArn(topic).message("g" + (n % 2) + "-" + n)
          .messageGroupId("g" + (n % 2)).messageDeduplicationId("d" + n));
      sequenceNumbers.add(r.sequenceNumber());
    }
    // A duplicate inside the five-minute window is accepted and answered with the first message's id, not delivered.
    PublishResponse again = sns().publish(b -> b.topicArn(topic).message("g0-0").messageGroupId("g0").messageDeduplicationId("d0"));
    assertThat(again.sequenceNumber()).isEqualTo(sequenceNumbers.get(0));
    assertThat(sequenceNumbers).isSorted().doesNotHaveDuplicates().allMatch(s -> s.matches("\\d{20}"));
    for (String url : queues) {
      List<String> bodies = new ArrayList<>();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        for (Message m : got) {
          bodies.add(m.body());
          sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
        return bodies.size() >= 20;
      });
      assertThat(bodies).hasSize(20);
      for (String group : List.of("g0", "g1")) {
        List<Integer> order = bodies.stream().filter(s -> s.startsWith(group)).map(s -> Integer.parseInt(s.substring(3))).toList();
        assertThat(order).hasSize(10).isSorted();
      }
    }
  }

  @Test
  void fifoTopicEnvelopeHasASequenceNumberAndStandardQueuesMaySubscribe() {
    String topic = sns().createTopic(b -> b.name("events.fifo").attributes(Map.of("FifoTopic", "true",
        "ContentBasedDeduplication", "true"))).topicArn();
    String url = sqs().createQueue(b -> b.queueName("analytics")).queueUrl();
    sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs(), url)));
    PublishResponse r = sns().publish(b -> b.topicArn(topic).message("hello").messageGroupId("g"));
    JsonObject envelope = new JsonObject(receiveAll(sqs(), url, 1).get(0).body());
    assertThat(envelope.fieldNames()).containsExactly("Type", "MessageId", "SequenceNumber", "TopicArn", "Message",
        "Timestamp", "UnsubscribeURL");
    assertThat(envelope.getString("SequenceNumber")).isEqualTo(r.sequenceNumber());
  }

  @Test
  void aDeletedQueueIsAClientErrorAndTheMessageGoesToTheSubscriptionsDlq() {
    String topic = sns().createTopic(b -> b.name("to-dlq")).topicArn();
    String gone = sqs().createQueue(b -> b.queueName("gone")).queueUrl();
    String goneArn = queueArn(sqs(), gone);
    String dlq = sqs().createQueue(b -> b.queueName("sub-dlq")).queueUrl();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(goneArn)
        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn(sqs(), dlq) + "\"}"))).subscriptionArn();
    sqs().deleteQueue(b -> b.queueUrl(gone));
    String id = sns().publish(b -> b.topicArn(topic).message("lost?")).messageId();
    Message m = receiveAll(sqs(), dlq, 1).get(0);
    JsonObject envelope = new JsonObject(m.body());
    assertThat(envelope.getString("MessageId")).isEqualTo(id);
    assertThat(envelope.getString("Message")).isEqualTo("lost?");
    assertThat(envelope.getString("UnsubscribeURL")).endsWith(sub);
    assertThat(m.messageAttributes().get("RequestID").stringValue()).isEqualTo(id);
    assertThat(m.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("QueueDoesNotExist");
    assertThat(m.messageAttributes()).containsKey("ErrorMessage");
  }

  /**
   * SNS passes a standard topic's message group on to a standard queue (SQS fair queues), but not
   * a FIFO topic's to a standard queue (test_sns.snapshot.json: test_publish_message_group_id,
   * test_fifo_topic_to_regular_sqs).
   */
  @Test
  void messageGroupsReachStandardQueuesAsSnsPassesThem() {
    String standard = sns().createTopic(b -> b.name("fair")).topicArn();
    String fifo = sns().createTopic(b -> b.name("ordered.fifo")
        .attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true"))).topicArn();
    String fromStandard = sqs().createQueue(b -> b.queueName("from-standard")).queueUrl();
    String fromFifo = sqs().createQueue(b -> b.queueName("from-fifo")).queueUrl();
    sns().subscribe(b -> b.topicArn(standard).protocol("sqs").endpoint(queueArn(sqs(), fromStandard)));
    sns().subscribe(b -> b.topicArn(fifo).protocol("sqs").endpoint(queueArn(sqs(), fromFifo)));
    sns().publish(b -> b.topicArn(standard).message("grouped").messageGroupId("my-group-id-1"));
    sns().publish(b -> b.topicArn(fifo).message("ordered").messageGroupId("g1"));
    assertThat(systemAttributes(fromStandard)).containsEntry("MessageGroupId", "my-group-id-1");
    assertThat(systemAttributes(fromFifo)).doesNotContainKey("MessageGroupId").doesNotContainKey("MessageDeduplicationId");
  }

  private Map<String, String> systemAttributes(String url) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      got.addAll(sqs().receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNamesWithStrings("All")).messages());
      return !got.isEmpty();
    });
    return got.get(0).attributesAsStrings();
  }
}
