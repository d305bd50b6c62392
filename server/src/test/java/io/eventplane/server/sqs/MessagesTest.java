package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class MessagesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private SqsClient sqs() {
    return server.sqs();
  }

  private String queue(String name, Map<QueueAttributeName, String> attrs) {
    return sqs().createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
  }

  private List<Message> receive(String url, int max) {
    return sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
  }

  private List<String> receiveAndDelete(String url) {
    List<Message> got = receive(url, 10);
    got.forEach(m -> sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
    return got.stream().map(Message::body).toList();
  }

  private Map<String, String> counts(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributesAsStrings();
  }

  @Test
  void sendReceiveDeleteWithAttributesAndDigests() {
    String url = queue("work", Map.of());
    var sent = sqs().sendMessage(b -> b.queueUrl(url).messageBody("héllo\r\nworld 🌍")
        .messageAttributes(Map.of(
            "kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build(),
            "amount", MessageAttributeValue.builder().dataType("Number").stringValue("12.5").build(),
            "blob", MessageAttributeValue.builder().dataType("Binary.gzip").binaryValue(SdkBytes.fromUtf8String("b")).build()))
        .messageSystemAttributesWithStrings(Map.of("AWSTraceHeader", MessageSystemAttributeValue.builder().dataType("String")
            .stringValue("Root=1-5759e988-bd862e3fe1be46a994272793").build())));
    assertThat(sent.messageId()).isNotBlank();
    assertThat(sent.md5OfMessageAttributes()).isNotBlank();
    assertThat(sent.md5OfMessageSystemAttributes()).isNotBlank();
    List<Message> got = receive(url, 10);
    assertThat(got).hasSize(1);
    Message m = got.get(0);
    assertThat(m.messageId()).isEqualTo(sent.messageId());
    assertThat(m.body()).isEqualTo("héllo\r\nworld 🌍");
    assertThat(m.md5OfBody()).isEqualTo(sent.md5OfMessageBody());
    assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
    assertThat(m.messageAttributes().get("amount").stringValue()).isEqualTo("12.5");
    assertThat(m.messageAttributes().get("blob").binaryValue().asUtf8String()).isEqualTo("b");
    assertThat(m.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1").containsEntry("SenderId", "000000000000")
        .containsEntry("AWSTraceHeader", "Root=1-5759e988-bd862e3fe1be46a994272793").containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void onlyRequestedMessageAttributesComeBack() {
    String url = queue("filtered", Map.of());
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
        "app.kind", MessageAttributeValue.builder().dataType("String").stringValue("a").build(),
        "other", MessageAttributeValue.builder().dataType("String").stringValue("b").build())));
    Message m = sqs().receiveMessage(b -> b.queueUrl(url).messageAttributeNames("app.*")).messages().get(0);
    assertThat(m.messageAttributes()).containsOnlyKeys("app.kind");
    assertThat(m.attributes()).isEmpty();
  }

  @Test
  void messageReappearsAfterVisibilityTimeout() {
    String url = queue("retry", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("job"));
    Message first = receive(url, 1).get(0);
    assertThat(receive(url, 1)).isEmpty();
    server.advance(Duration.ofSeconds(31));
    Message second = receive(url, 1).get(0);
    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
    assertThat(second.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
    // The stale handle deletes nothing, as on SQS; the current one does.
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1");
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(second.receiptHandle()));
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void receiveVisibilityOverrideAndChangeVisibility() {
    String url = queue("vis", Map.of());
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("a"));
    Message m = sqs().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(5)).messages().get(0);
    server.advance(Duration.ofSeconds(3));
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(60));
    server.advance(Duration.ofSeconds(10));
    assertThat(receive(url, 1)).isEmpty();
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    Message again = receive(url, 1).get(0);
    assertThat(again.messageId()).isEqualTo(m.messageId());
    server.advance(Duration.ofSeconds(31));
    // Visible again after its timeout: as on SQS, the live handle still changes its visibility (hides it anew).
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()).visibilityTimeout(10));
    assertThat(receive(url, 1)).isEmpty();
    server.advance(Duration.ofSeconds(11));
    assertThat(receive(url, 1)).extracting(Message::messageId).containsExactly(m.messageId());
  }

  @Test
  void delaysPerQueueAndPerMessage() {
    String url = queue("delayed", Map.of(QueueAttributeName.DELAY_SECONDS, "10"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("queue-delay"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("no-delay").delaySeconds(0));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("long-delay").delaySeconds(100));
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesDelayed", "2").containsEntry("ApproximateNumberOfMessages", "1");
    assertThat(receiveAndDelete(url)).containsExactly("no-delay");
    server.advance(Duration.ofSeconds(11));
    assertThat(receiveAndDelete(url)).containsExactly("queue-delay");
    server.advance(Duration.ofSeconds(90));
    assertThat(receiveAndDelete(url)).containsExactly("long-delay");
  }

  @Test
  void batchesWithPerEntryResults() {
    String url = queue("batch", Map.of());
    var sent = sqs().sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody("1").build(),
        SendMessageBatchRequestEntry.builder().id("b").messageBody("2").build(),
        SendMessageBatchRequestEntry.builder().id("bad").messageBody("\u0000").build()));
    assertThat(sent.successful()).extracting(e -> e.id()).containsExactlyInAnyOrder("a", "b");
    assertThat(sent.failed()).singleElement().satisfies(f -> {
      assertThat(f.id()).isEqualTo("bad");
      assertThat(f.code()).isEqualTo("InvalidMessageContents");
      assertThat(f.senderFault()).isTrue();
    });
    List<Message> got = receive(url, 10);
    assertThat(got).extracting(Message::body).containsExactlyInAnyOrder("1", "2");
    var changed = sqs().changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
        ChangeMessageVisibilityBatchRequestEntry.builder().id("x").receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(100).build(),
        ChangeMessageVisibilityBatchRequestEntry.builder().id("y").receiptHandle("garbage").visibilityTimeout(100).build()));
    assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("x");
    assertThat(changed.failed()).extracting(f -> f.code()).containsExactly("ReceiptHandleIsInvalid");
    var deleted = sqs().deleteMessageBatch(b -> b.queueUrl(url).entries(
        DeleteMessageBatchRequestEntry.builder().id("d1").receiptHandle(got.get(0).receiptHandle()).build(),
        DeleteMessageBatchRequestEntry.builder().id("d2").receiptHandle(got.get(1).receiptHandle()).build()));
    assertThat(deleted.successful()).hasSize(2);
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
  }

  @Test
  void longPollWakesUpWhenAMessageArrives() throws Exception {
    String url = queue("poll", Map.of());
    long start = System.nanoTime();
    CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(
        () -> sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages());
    // The receive must be parked on the server before the send for the test to mean anything.
    org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(waiting).isNotDone();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("wake"));
    List<Message> got = waiting.get(10, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(got).extracting(Message::body).containsExactly("wake");
    assertThat(millis).isLessThan(10_000);
  }

  @Test
  void longPollHonoursTheQueueDefaultAndReturnsEmptyAtTheEnd() throws Exception {
    String url = queue("default-wait", Map.of(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "1"));
    long start = System.nanoTime();
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
    start = System.nanoTime();
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages()).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
  }

  @Test
  void retentionExpiresMessages() {
    String url = queue("short-lived", Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "60"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("old"));
    server.advance(Duration.ofSeconds(61));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("new"));
    assertThat(receive(url, 10)).extracting(Message::body).containsExactly("new");
  }

  @Test
  void purgeRemovesEverythingOncePerMinute() {
    String url = queue("purge", Map.of());
    for (int i = 0; i < 5; i++) sqs().sendMessage(b -> b.queueUrl(url).messageBody("m"));
    sqs().purgeQueue(b -> b.queueUrl(url));
    assertThat(receive(url, 10)).isEmpty();
    assertThatThrownBy(() -> sqs().purgeQueue(b -> b.queueUrl(url))).isInstanceOf(PurgeQueueInProgressException.class);
    server.advance(Duration.ofSeconds(61));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("after"));
    sqs().purgeQueue(b -> b.queueUrl(url));
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0");
  }

  @Test
  void standardQueuesAcceptMessageGroupIdForFairQueues() {
    String url = queue("fair", Map.of());
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("t1").messageGroupId("tenant-1"));
    Message m = receive(url, 1).get(0);
    assertThat(m.attributesAsStrings()).containsEntry("MessageGroupId", "tenant-1");
  }
}
