package io.eventplane.server.sqs;

import static io.eventplane.server.sqs.SqsAnswers.assertAnswer;
import static io.eventplane.server.sqs.SqsAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Answer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SendMessage, SendMessageBatch and ReceiveMessage input rules worded as SQS words them, over both
 * wire protocols. The answers are AWS recordings: LocalStack's validated snapshots of
 * {@code test_sqs.py} (test_send_receive_max_number_of_messages,
 * test_send_message_with_empty_string_attribute, test_fifo_queue_send_message_with_delay_seconds_fails,
 * test_posting_to_fifo_requires_deduplicationid_group_id, test_send_batch_missing_*_for_fifo_queue,
 * test_invalid_batch_id, test_too_many_entries_in_batch_request,
 * test_send_message_with_invalid_string_attributes, test_invalid_string_attributes_cause_invalid_parameter_value_error)
 * and the Ballerina SQS connector's tests run against AWS (empty bodies, delays, unknown data
 * types, empty batches, a batch entry without a body); rows whose wording no recording gives pin
 * status and code only.
 */
class SendValidationAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String NO_DEDUP_ID =
      "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly";
  private static final String BAD_BATCH_ID =
      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.";

  private final SqsAnswers answers = new SqsAnswers(server);
  private String standard;
  private String fifo;

  private SqsClient sqs() {
    return server.sqs();
  }

  @BeforeEach
  void queues() {
    standard = sqs().createQueue(b -> b.queueName("std")).queueUrl();
    fifo = sqs().createQueue(b -> b.queueName("f.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
  }

  private static MessageAttributeValue attr(String type, String value) {
    return MessageAttributeValue.builder().dataType(type).stringValue(value).build();
  }

  /** One request in both forms (the SDK v2 call, the Query form without QueueUrl) and AWS's answer. */
  private record Case(String what, boolean onFifo, BiConsumer<SqsClient, String> v2, String[] query, Answer expected) {}

  private static String[] form(String... keysAndValues) {
    return keysAndValues;
  }

  private static final List<Case> CASES = List.of(
      new Case("empty body", false, (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("")),
          form("Action", "SendMessage", "MessageBody", ""),
          Answer.error(400, "MissingParameter", "The request must contain the parameter MessageBody.")),
      new Case("delay above 900", false, (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("x").delaySeconds(1000)),
          form("Action", "SendMessage", "MessageBody", "x", "DelaySeconds", "1000"),
          Answer.error(400, "InvalidParameterValue",
              "Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")),
      new Case("negative delay", false, (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("x").delaySeconds(-1)),
          form("Action", "SendMessage", "MessageBody", "x", "DelaySeconds", "-1"),
          Answer.error(400, "InvalidParameterValue",
              "Value -1 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")),
      new Case("empty string attribute", false,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("test").messageAttributes(Map.of("ErrorDetails", attr("String", "")))),
          form("Action", "SendMessage", "MessageBody", "test", "MessageAttribute.1.Name", "ErrorDetails",
              "MessageAttribute.1.Value.DataType", "String", "MessageAttribute.1.Value.StringValue", ""),
          Answer.error(400, "InvalidParameterValue",
              "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.")),
      new Case("unknown data type", false,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("x").messageAttributes(Map.of("invalidAttribute", attr("InvalidType", "value")))),
          form("Action", "SendMessage", "MessageBody", "x", "MessageAttribute.1.Name", "invalidAttribute",
              "MessageAttribute.1.Value.DataType", "InvalidType", "MessageAttribute.1.Value.StringValue", "value"),
          Answer.error(400, "InvalidParameterValue", "The type of message (user) attribute 'invalidAttribute' is invalid. "
              + "You must use only the following supported type prefixes: Binary, Number, String.")),
      new Case("control character in an attribute value", false,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("test").messageAttributes(Map.of("attr1", attr("String", "Invalid-\b,\u000B")))),
          form("Action", "SendMessage", "MessageBody", "test", "MessageAttribute.1.Name", "attr1",
              "MessageAttribute.1.Value.DataType", "String", "MessageAttribute.1.Value.StringValue", "Invalid-\b,\u000B"),
          Answer.errorCode(400, "InvalidParameterValue")),
      new Case("invalid character in an attribute name", false,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("test").messageAttributes(Map.of("Invalid-!-attr", attr("String", "Valid")))),
          form("Action", "SendMessage", "MessageBody", "test", "MessageAttribute.1.Name", "Invalid-!-attr",
              "MessageAttribute.1.Value.DataType", "String", "MessageAttribute.1.Value.StringValue", "Valid"),
          Answer.errorCode(400, "InvalidParameterValue")),
      new Case("letters of any script in an attribute name", false,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("test").messageAttributes(Map.of("attr.1øßä", attr("String", "Valida")))),
          form("Action", "SendMessage", "MessageBody", "test", "MessageAttribute.1.Name", "attr.1øßä",
              "MessageAttribute.1.Value.DataType", "String", "MessageAttribute.1.Value.StringValue", "Valida"),
          Answer.ok()),
      new Case("FIFO message with its own delay", true,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("message-1").messageGroupId("1").messageDeduplicationId("d").delaySeconds(2)),
          form("Action", "SendMessage", "MessageBody", "message-1", "MessageGroupId", "1", "MessageDeduplicationId", "d",
              "DelaySeconds", "2"),
          Answer.error(400, "InvalidParameterValue", "Value 2 for parameter DelaySeconds is invalid. "
              + "Reason: The request include parameter that is not valid for this queue type.")),
      new Case("FIFO message without a group", true,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("x").messageDeduplicationId("d")),
          form("Action", "SendMessage", "MessageBody", "x", "MessageDeduplicationId", "d"),
          Answer.error(400, "MissingParameter", "The request must contain the parameter MessageGroupId.")),
      new Case("FIFO message without a deduplication id", true,
          (c, u) -> c.sendMessage(b -> b.queueUrl(u).messageBody("x").messageGroupId("g")),
          form("Action", "SendMessage", "MessageBody", "x", "MessageGroupId", "g"),
          Answer.error(400, "InvalidParameterValue", NO_DEDUP_ID)),
      new Case("FIFO batch with an entry without a group", true,
          (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(
              SendMessageBatchRequestEntry.builder().id("a").messageBody("m").messageGroupId("g").messageDeduplicationId("d1").build(),
              SendMessageBatchRequestEntry.builder().id("b").messageBody("m").messageDeduplicationId("d2").build())),
          form("Action", "SendMessageBatch",
              "SendMessageBatchRequestEntry.1.Id", "a", "SendMessageBatchRequestEntry.1.MessageBody", "m",
              "SendMessageBatchRequestEntry.1.MessageGroupId", "g", "SendMessageBatchRequestEntry.1.MessageDeduplicationId", "d1",
              "SendMessageBatchRequestEntry.2.Id", "b", "SendMessageBatchRequestEntry.2.MessageBody", "m",
              "SendMessageBatchRequestEntry.2.MessageDeduplicationId", "d2"),
          Answer.error(400, "InvalidParameterValue", "The request must contain the parameter MessageGroupId.")),
      new Case("FIFO batch with an entry without a deduplication id", true,
          (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(
              SendMessageBatchRequestEntry.builder().id("a").messageBody("m").messageGroupId("g").messageDeduplicationId("d1").build(),
              SendMessageBatchRequestEntry.builder().id("b").messageBody("m").messageGroupId("g").build())),
          form("Action", "SendMessageBatch",
              "SendMessageBatchRequestEntry.1.Id", "a", "SendMessageBatchRequestEntry.1.MessageBody", "m",
              "SendMessageBatchRequestEntry.1.MessageGroupId", "g", "SendMessageBatchRequestEntry.1.MessageDeduplicationId", "d1",
              "SendMessageBatchRequestEntry.2.Id", "b", "SendMessageBatchRequestEntry.2.MessageBody", "m",
              "SendMessageBatchRequestEntry.2.MessageGroupId", "g"),
          Answer.error(400, "InvalidParameterValue", NO_DEDUP_ID)),
      new Case("batch entry id with a colon", false,
          (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(SendMessageBatchRequestEntry.builder().id("message:1").messageBody("m").build())),
          form("Action", "SendMessageBatch", "SendMessageBatchRequestEntry.1.Id", "message:1",
              "SendMessageBatchRequestEntry.1.MessageBody", "m"),
          Answer.error(400, "AWS.SimpleQueueService.InvalidBatchEntryId", BAD_BATCH_ID)),
      new Case("batch entry ids repeated", false,
          (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(
              SendMessageBatchRequestEntry.builder().id("idA").messageBody("Hello A").build(),
              SendMessageBatchRequestEntry.builder().id("idA").messageBody("Hello B").build())),
          form("Action", "SendMessageBatch", "SendMessageBatchRequestEntry.1.Id", "idA",
              "SendMessageBatchRequestEntry.1.MessageBody", "Hello A", "SendMessageBatchRequestEntry.2.Id", "idA",
              "SendMessageBatchRequestEntry.2.MessageBody", "Hello B"),
          Answer.error(400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id idA repeated.")),
      new Case("eleven batch entries", false,
          (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(IntStream.rangeClosed(1, 11)
              .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m").build()).toList())),
          elevenEntries(),
          Answer.error(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
              "Maximum number of entries per request are 10. You have sent 11.")),
      new Case("empty batch", false, (c, u) -> c.sendMessageBatch(b -> b.queueUrl(u).entries(List.of())),
          form("Action", "SendMessageBatch"),
          Answer.error(400, "AWS.SimpleQueueService.EmptyBatchRequest",
              "There should be at least one SendMessageBatchRequestEntry in the request.")),
      new Case("eleven messages asked for", false, (c, u) -> c.receiveMessage(b -> b.queueUrl(u).maxNumberOfMessages(11)),
          form("Action", "ReceiveMessage", "MaxNumberOfMessages", "11"),
          Answer.error(400, "InvalidParameterValue",
              "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")),
      new Case("no message asked for", false, (c, u) -> c.receiveMessage(b -> b.queueUrl(u).maxNumberOfMessages(0)),
          form("Action", "ReceiveMessage", "MaxNumberOfMessages", "0"),
          Answer.error(400, "InvalidParameterValue",
              "Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")),
      new Case("a long poll above 20 seconds", false, (c, u) -> c.receiveMessage(b -> b.queueUrl(u).waitTimeSeconds(21)),
          form("Action", "ReceiveMessage", "WaitTimeSeconds", "21"),
          Answer.errorCode(400, "InvalidParameterValue")));

  private static String[] elevenEntries() {
    List<String> out = new ArrayList<>(List.of("Action", "SendMessageBatch"));
    for (int i = 1; i <= 11; i++) {
      out.addAll(List.of("SendMessageBatchRequestEntry." + i + ".Id", "e" + i, "SendMessageBatchRequestEntry." + i + ".MessageBody", "m"));
    }
    return out.toArray(String[]::new);
  }

  @Test
  void sendAndReceiveInputRulesAnswerAsAwsOverJson() {
    for (Case c : CASES) {
      String url = c.onFifo() ? fifo : standard;
      assertAnswer(c.what(), json(() -> c.v2().accept(sqs(), url)), c.expected());
    }
  }

  @Test
  void sendAndReceiveInputRulesAnswerAsAwsOverQuery() throws Exception {
    for (Case c : CASES) {
      String url = c.onFifo() ? fifo : standard;
      List<String> p = new ArrayList<>(List.of(c.query()));
      p.addAll(List.of("QueueUrl", url));
      assertAnswer(c.what(), answers.query(p.toArray(String[]::new)).answer(), c.expected());
    }
  }

  /** A batch entry without a body fails alone, with the code EmptyValue, next to the entries sent. */
  @Test
  void aBatchEntryWithoutABodyIsEmptyValue() throws Exception {
    SendMessageBatchResponse r = sqs().sendMessageBatch(b -> b.queueUrl(standard).entries(
        SendMessageBatchRequestEntry.builder().id("1").messageBody("Valid message").build(),
        SendMessageBatchRequestEntry.builder().id("2").messageBody("").build()));
    assertThat(r.successful()).extracting(e -> e.id()).containsExactly("1");
    assertThat(r.failed()).extracting(BatchResultErrorEntry::id, BatchResultErrorEntry::code, BatchResultErrorEntry::senderFault)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "EmptyValue", true));

    QueryReply q = answers.query("Action", "SendMessageBatch", "QueueUrl", standard,
        "SendMessageBatchRequestEntry.1.Id", "1", "SendMessageBatchRequestEntry.1.MessageBody", "Valid message",
        "SendMessageBatchRequestEntry.2.Id", "2", "SendMessageBatchRequestEntry.2.MessageBody", "");
    assertThat(q.status()).as(q.raw()).isEqualTo(200);
    List<Element> failed = q.all("BatchResultErrorEntry");
    assertThat(failed).hasSize(1);
    assertThat(QueryReply.text(failed.get(0), "Id")).isEqualTo("2");
    assertThat(QueryReply.text(failed.get(0), "Code")).isEqualTo("EmptyValue");
    assertThat(QueryReply.text(failed.get(0), "SenderFault")).isEqualTo("true");
    assertThat(q.all("SendMessageBatchResultEntry")).hasSize(1);
  }
}
