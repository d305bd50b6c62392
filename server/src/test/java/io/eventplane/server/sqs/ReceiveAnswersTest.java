package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * What ReceiveMessage hands back, and what the calls after it do, as SQS does it, over both wire
 * protocols: the message attributes MessageAttributeNames selects (LocalStack's validated
 * snapshot of test_receive_message_message_attribute_names_filters, digests included), a
 * visibility change after the timeout ran out (test_change_message_visibility_after_visibility_timeout_expiration,
 * test_extend_message_visibility_timeout_set_in_queue), a FIFO head made visible again
 * (test_fifo_message_group_visibility_after_terminate_visibility_timeout), a purge that clears
 * the FIFO deduplication window (test_purge_queue_clears_fifo_deduplication_cache) and the form of
 * SequenceNumber.
 */
class ReceiveAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  /** A MessageAttributeNames filter, the attributes it selects, their digest, and whether an empty map is answered. */
  private record Filter(List<String> names, List<String> selected, String md5, boolean emptyMap) {}

  private static final List<Filter> FILTERS = List.of(
      new Filter(List.of(), List.of(), null, false),
      new Filter(List.of("All"), List.of("General", "Hello", "Help.Me"), "4c360f3fdafd970e05fae2f149d997f5", false),
      new Filter(List.of("*"), List.of("General", "Hello", "Help.Me"), "4c360f3fdafd970e05fae2f149d997f5", false),
      new Filter(List.of(".*"), List.of("General", "Hello", "Help.Me"), "4c360f3fdafd970e05fae2f149d997f5", false),
      new Filter(List.of("Foo", "Help"), List.of(), null, true),
      new Filter(List.of("Hello", "General"), List.of("General", "Hello"), "fca026605781cb4126a1e9044df24232", false),
      new Filter(List.of("Foo", "Hello"), List.of("Hello"), "a311262e065454b75da111d535b8dacd", false),
      new Filter(List.of("Hel.*"), List.of("Hello", "Help.Me"), "83fee93c1bcd8b9a5a923ffacdc636c7", false),
      new Filter(List.of("AWS."), List.of(), null, false),
      new Filter(List.of("..foo"), List.of(), null, false));

  private String queueWithAttributedMessage(String name) {
    String url = sqs().createQueue(b -> b.queueName(name).attributesWithStrings(Map.of("VisibilityTimeout", "0"))).queueUrl();
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("Help.Me", string("Me"));
    attrs.put("Hello", string("There"));
    attrs.put("General", string("Kenobi"));
    String md5 = sqs().sendMessage(b -> b.queueUrl(url).messageBody("msg").messageAttributes(attrs)).md5OfMessageAttributes();
    assertThat(md5).isEqualTo("4c360f3fdafd970e05fae2f149d997f5");
    return url;
  }

  @Test
  void messageAttributeNamesSelectAsAwsOverJson() {
    String url = queueWithAttributedMessage("filters-j");
    for (Filter f : FILTERS) {
      Message m = sqs().receiveMessage(b -> b.queueUrl(url).messageAttributeNames(f.names())).messages().get(0);
      assertThat(new TreeMap<>(m.messageAttributes()).keySet()).as("%s", f.names()).containsExactlyElementsOf(f.selected());
      assertThat(m.md5OfMessageAttributes()).as("%s", f.names()).isEqualTo(f.md5());
      assertThat(m.hasMessageAttributes()).as("MessageAttributes member for %s", f.names())
          .isEqualTo(!f.selected().isEmpty() || f.emptyMap());
    }
  }

  @Test
  void messageAttributeNamesSelectAsAwsOverQuery() throws Exception {
    String url = queueWithAttributedMessage("filters-q");
    for (Filter f : FILTERS) {
      List<String> p = new ArrayList<>(List.of("Action", "ReceiveMessage", "QueueUrl", url));
      for (int i = 0; i < f.names().size(); i++) p.addAll(List.of("MessageAttributeName." + (i + 1), f.names().get(i)));
      QueryReply r = answers.query(p.toArray(String[]::new));
      Element message = r.all("Message").get(0);
      List<String> names = new ArrayList<>();
      for (Element e : r.all("MessageAttribute")) names.add(QueryReply.text(e, "Name"));
      assertThat(names.stream().sorted().toList()).as("%s", f.names()).containsExactlyElementsOf(f.selected());
      assertThat(QueryReply.text(message, "MD5OfMessageAttributes")).as("%s", f.names()).isEqualTo(f.md5());
    }
  }

  /** System attributes: only those named, and only those the queue type has. */
  @Test
  void systemAttributeNamesSelectAsAws() {
    String url = sqs().createQueue(b -> b.queueName("sys")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("msg"));
    Message m = sqs().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0)
        .messageSystemAttributeNamesWithStrings("SenderId", "SequenceNumber")).messages().get(0);
    assertThat(m.attributesAsStrings()).containsOnlyKeys("SenderId");
  }

  @Test
  void changeMessageVisibilityAfterTheTimeoutRanOutHidesTheMessageAgain() throws Exception {
    String url = sqs().createQueue(b -> b.queueName("expired")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("m"));
    String handle = sqs().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(2)).messages().get(0).receiptHandle();
    server.advance(Duration.ofSeconds(3));
    // JSON: succeeds, and the message is hidden for the new timeout.
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(10));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    server.advance(Duration.ofSeconds(11));
    // Query: the same handle, expired again, still works.
    assertThat(answers.query("Action", "ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", handle,
        "VisibilityTimeout", "10").status()).isEqualTo(200);
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    server.advance(Duration.ofSeconds(11));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).extracting(Message::body).containsExactly("m");
  }

  @Test
  void aFifoHeadMadeVisibleAgainIsDeliveredWhileLaterMessagesAreInFlight() {
    String url = sqs().createQueue(b -> b.queueName("heads.fifo").attributesWithStrings(Map.of(
        "FifoQueue", "true", "VisibilityTimeout", "30", "ContentBasedDeduplication", "true"))).queueUrl();
    for (String[] m : new String[][] {{"g1-m1", "group-1"}, {"g1-m2", "group-1"}, {"g2-m1", "group-2"}}) {
      sqs().sendMessage(b -> b.queueUrl(url).messageBody(m[0]).messageGroupId(m[1]));
    }
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2)).messages();
    assertThat(got).extracting(Message::body).containsExactly("g1-m1", "g1-m2");
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(3)).messages())
        .extracting(Message::body).containsExactly("g2-m1", "g1-m1");
  }

  /** test_fifo_delete_message_with_expired_receipt_handle: a FIFO handle past its visibility timeout deletes nothing. */
  @Test
  void aFifoReceiptHandlePastItsTimeoutIsExpired() throws Exception {
    String url = sqs().createQueue(b -> b.queueName("expiring.fifo").attributesWithStrings(Map.of(
        "FifoQueue", "true", "VisibilityTimeout", "1", "ContentBasedDeduplication", "true"))).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("g1-m1").messageGroupId("1"));
    String handle = sqs().receiveMessage(b -> b.queueUrl(url)).messages().get(0).receiptHandle();
    server.advance(Duration.ofSeconds(2));
    SqsAnswers.Answer expired = SqsAnswers.Answer.error(400, "InvalidParameterValue",
        "Value " + handle + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
    SqsAnswers.assertAnswer("JSON DeleteMessage", SqsAnswers.json(() -> sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(handle))),
        expired);
    SqsAnswers.assertAnswer("Query DeleteMessage",
        answers.query("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", handle).answer(), expired);
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).extracting(Message::body).containsExactly("g1-m1");
  }

  @Test
  void purgeQueueClearsTheFifoDeduplicationWindow() throws Exception {
    String url = sqs().createQueue(b -> b.queueName("purged.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("message-1").messageGroupId("g").messageDeduplicationId("d"));
    sqs().purgeQueue(b -> b.queueUrl(url));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("message-2").messageGroupId("g").messageDeduplicationId("d"));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).extracting(Message::body).containsExactly("message-2");

    // Over Query, on another queue.
    String q = answers.query("Action", "CreateQueue", "QueueName", "purged-q.fifo", "Attribute.1.Name", "FifoQueue",
        "Attribute.1.Value", "true").text("QueueUrl");
    answers.query("Action", "SendMessage", "QueueUrl", q, "MessageBody", "message-1", "MessageGroupId", "g", "MessageDeduplicationId", "d");
    answers.query("Action", "PurgeQueue", "QueueUrl", q);
    answers.query("Action", "SendMessage", "QueueUrl", q, "MessageBody", "message-2", "MessageGroupId", "g", "MessageDeduplicationId", "d");
    assertThat(answers.query("Action", "ReceiveMessage", "QueueUrl", q).text("Body")).isEqualTo("message-2");
  }

  /** SequenceNumber: 20 digits with no leading zero, growing; absent on standard queues. */
  @Test
  void sequenceNumbersAreFormedAsAwsFormsThem() throws Exception {
    String url = sqs().createQueue(b -> b.queueName("seq.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
    List<String> seqs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int n = i;
      seqs.add(sqs().sendMessage(b -> b.queueUrl(url).messageBody("message-" + n).messageGroupId("group")
          .messageDeduplicationId("m" + n)).sequenceNumber());
    }
    seqs.add(answers.query("Action", "SendMessage", "QueueUrl", url, "MessageBody", "message-4", "MessageGroupId", "group",
        "MessageDeduplicationId", "m4").text("SequenceNumber"));
    assertThat(seqs).allSatisfy(s -> assertThat(s).matches("[1-9][0-9]{19}"));
    assertThat(seqs).isSortedAccordingTo(java.util.Comparator.comparing(java.math.BigInteger::new)).doesNotHaveDuplicates();
    Message m = sqs().receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNamesWithStrings("SequenceNumber")).messages().get(0);
    assertThat(m.attributesAsStrings()).containsEntry("SequenceNumber", seqs.get(0));

    String standard = sqs().createQueue(b -> b.queueName("no-seq")).queueUrl();
    assertThat(sqs().sendMessage(b -> b.queueUrl(standard).messageBody("x")).sequenceNumber()).isNull();
  }
}
