package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class FifoTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private SqsClient sqs() {
    return server.sqs();
  }

  private String fifo(String name, Map<QueueAttributeName, String> extra) {
    Map<QueueAttributeName, String> attrs = new java.util.HashMap<>(extra);
    attrs.put(QueueAttributeName.FIFO_QUEUE, "true");
    return sqs().createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
  }

  private String send(String url, String group, String body, String dedup) {
    return sqs().sendMessage(b -> b.queueUrl(url).messageGroupId(group).messageBody(body).messageDeduplicationId(dedup)).messageId();
  }

  private List<Message> receive(String url, int max) {
    return sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  @Test
  void aFifoMessageSentWithDelaySecondsZeroTakesTheQueuesDelay() {
    String url = fifo("delayed.fifo", Map.of(QueueAttributeName.DELAY_SECONDS, "60"));
    sqs().sendMessage(b -> b.queueUrl(url).messageGroupId("g").messageBody("later").messageDeduplicationId("d1").delaySeconds(0));
    assertThat(receive(url, 10)).isEmpty();
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes())
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "1");
    // A standard queue's message sets its own delay, 0 included.
    String standard = sqs().createQueue(b -> b.queueName("delayed-standard")
        .attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "60"))).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(standard).messageBody("now").delaySeconds(0));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(standard)).messages()).extracting(Message::body).containsExactly("now");
  }

  @Test
  void strictOrderPerGroupAndGroupLockWhileInFlight() {
    String url = fifo("orders.fifo", Map.of());
    for (int i = 1; i <= 4; i++) send(url, "A", "a" + i, "a" + i);
    send(url, "B", "b1", "b1");
    List<Message> first = receive(url, 2);
    assertThat(first).extracting(Message::body).containsExactly("a1", "a2");
    // Group A is locked while a1/a2 are in flight; only group B can deliver.
    List<Message> second = receive(url, 10);
    assertThat(second).extracting(Message::body).containsExactly("b1");
    assertThat(receive(url, 10)).isEmpty();
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
    assertThat(receive(url, 10)).isEmpty();
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(first.get(1).receiptHandle()));
    assertThat(receive(url, 10)).extracting(Message::body).containsExactly("a3", "a4");
  }

  @Test
  void failedMessageComesBackFirstInItsGroup() {
    String url = fifo("retry.fifo", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10"));
    send(url, "g", "1", "1");
    send(url, "g", "2", "2");
    assertThat(receive(url, 1)).extracting(Message::body).containsExactly("1");
    server.advance(Duration.ofSeconds(11));
    List<Message> again = receive(url, 10);
    assertThat(again).extracting(Message::body).containsExactly("1", "2");
    assertThat(again.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
  }

  @Test
  void deduplicationHoldsFiveMinutesEvenAfterDelete() {
    String url = fifo("dedup.fifo", Map.of());
    String id = send(url, "g", "once", "d-1");
    assertThat(send(url, "g", "once-again", "d-1")).isEqualTo(id);
    Message m = receive(url, 10).get(0);
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    server.advance(Duration.ofMinutes(4));
    assertThat(send(url, "g", "still-dup", "d-1")).isEqualTo(id);
    assertThat(receive(url, 10)).isEmpty();
    server.advance(Duration.ofSeconds(61));
    assertThat(send(url, "g", "new", "d-1")).isNotEqualTo(id);
    assertThat(receive(url, 10)).extracting(Message::body).containsExactly("new");
  }

  @Test
  void contentBasedDeduplicationAndSequenceNumbers() {
    String url = fifo("cbd.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    var a = sqs().sendMessage(b -> b.queueUrl(url).messageGroupId("g").messageBody("same"));
    var b2 = sqs().sendMessage(b -> b.queueUrl(url).messageGroupId("g").messageBody("same"));
    var c = sqs().sendMessage(b -> b.queueUrl(url).messageGroupId("g").messageBody("other"));
    assertThat(b2.messageId()).isEqualTo(a.messageId());
    assertThat(b2.sequenceNumber()).isEqualTo(a.sequenceNumber());
    assertThat(c.sequenceNumber()).isGreaterThan(a.sequenceNumber()).hasSize(20);
    List<Message> got = receive(url, 10);
    assertThat(got).extracting(Message::body).containsExactly("same", "other");
    assertThat(got.get(0).attributesAsStrings()).containsEntry("SequenceNumber", a.sequenceNumber())
        .containsEntry("MessageGroupId", "g").containsKey("MessageDeduplicationId");
  }

  @Test
  void deduplicationScopePerMessageGroup() {
    String url = fifo("scoped.fifo", Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
        QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId"));
    String a = send(url, "g1", "x", "same-id");
    String b = send(url, "g2", "x", "same-id");
    assertThat(b).isNotEqualTo(a);
    assertThat(send(url, "g1", "x", "same-id")).isEqualTo(a);
  }

  @Test
  void receiveRequestAttemptIdReturnsTheSameBatchOnRetry() {
    String url = fifo("attempt.fifo", Map.of());
    send(url, "g", "1", "1");
    send(url, "g", "2", "2");
    List<Message> first = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).receiveRequestAttemptId("try-1")).messages();
    List<Message> retry = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).receiveRequestAttemptId("try-1")).messages();
    assertThat(retry).extracting(Message::receiptHandle).containsExactlyElementsOf(first.stream().map(Message::receiptHandle).toList());
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId("try-2")).messages()).isEmpty();
  }

  @Test
  void manyGroupsInterleaveButEachStaysOrdered() {
    String url = fifo("many.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    for (int i = 0; i < 30; i++) {
      int n = i;
      sqs().sendMessage(b -> b.queueUrl(url).messageGroupId("g" + (n % 3)).messageBody("g" + (n % 3) + ":" + n));
    }
    List<String> seen = new ArrayList<>();
    for (int round = 0; round < 100 && seen.size() < 30; round++) {
      for (Message m : receive(url, 10)) {
        seen.add(m.body());
        sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(seen).hasSize(30);
    for (int g = 0; g < 3; g++) {
      String prefix = "g" + g + ":";
      List<Integer> order = seen.stream().filter(s -> s.startsWith(prefix)).map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
      assertThat(order).isSorted();
    }
  }
}
