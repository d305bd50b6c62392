package io.eventplane.server.sqs;

import static io.eventplane.server.sqs.SqsAnswers.assertAnswer;
import static io.eventplane.server.sqs.SqsAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Answer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Queue attributes as SQS parses, refuses and reports them, over both wire protocols. Each row is
 * an answer recorded against AWS: LocalStack's validated snapshots of {@code test_sqs.py}
 * (test_set_unsupported_attribute_fifo, test_sse_queue_attributes,
 * test_sse_kms_and_sqs_are_mutually_exclusive, test_invalid_dead_letter_arn_rejected_before_lookup,
 * test_fifo_queue_requires_suffix, test_get_specific_queue_attribute_response) and the AWS-run
 * tests of the Ballerina SQS connector (attribute values out of range); rows without a recorded
 * wording pin status and code only.
 */
class QueueAttributeAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String SSE_CONFLICT =
      "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  /** One CreateQueue: queue name, attributes, AWS's answer, and (on success) attributes read back. */
  private record Create(String queue, Map<String, String> attributes, Answer expected, Map<String, String> readBack) {
    static Create refused(String queue, Map<String, String> attributes, Answer expected) {
      return new Create(queue, attributes, expected, Map.of());
    }

    static Create accepted(String queue, Map<String, String> attributes, Map<String, String> readBack) {
      return new Create(queue, attributes, Answer.ok(), readBack);
    }
  }

  private static List<Create> creates(String suffix) {
    return List.of(
        // The queue type is FifoQueue read as SQS reads booleans: any case.
        Create.accepted("cased" + suffix + ".fifo", Map.of("FifoQueue", "True"), Map.of("FifoQueue", "true")),
        Create.accepted("upper" + suffix + ".fifo", Map.of("FifoQueue", "TRUE", "ContentBasedDeduplication", "False"),
            Map.of("FifoQueue", "true", "ContentBasedDeduplication", "false")),
        // A standard queue knows no FIFO attribute, whatever its value.
        Create.refused("plain" + suffix, Map.of("FifoQueue", "false"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoQueue.")),
        Create.refused("plain" + suffix, Map.of("FifoQueue", "False"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoQueue.")),
        Create.refused("plain" + suffix, Map.of("ContentBasedDeduplication", "false"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication.")),
        Create.refused("plain" + suffix, Map.of("DeduplicationScope", "queue"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute DeduplicationScope.")),
        Create.refused("plain" + suffix, Map.of("FifoThroughputLimit", "perQueue"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoThroughputLimit.")),
        Create.refused("named" + suffix + ".fifo", Map.of("FifoQueue", "false"),
            Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoQueue.")),
        // FifoQueue=true needs the .fifo suffix (test_fifo_queue_requires_suffix: the code).
        Create.refused("plain" + suffix, Map.of("FifoQueue", "true"), Answer.errorCode(400, "InvalidParameterValue")),
        // A .fifo name needs FifoQueue=true (test_standard_queue_cannot_have_fifo_suffix: the code).
        Create.refused("standard" + suffix + ".fifo", Map.of(), Answer.errorCode(400, "InvalidParameterValue")),
        // Out of range: the parameter named, no reason given.
        Create.refused("plain" + suffix, Map.of("DelaySeconds", "901"),
            Answer.error(400, "InvalidAttributeValue", "Invalid value for the parameter DelaySeconds.")),
        Create.refused("plain" + suffix, Map.of("VisibilityTimeout", "43201"),
            Answer.error(400, "InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout.")),
        // A dead-letter target that is no ARN is refused before any lookup.
        Create.refused("src" + suffix, Map.of("RedrivePolicy", "{\"deadLetterTargetArn\": \"dummy\", \"maxReceiveCount\": 42}"),
            Answer.error(400, "InvalidParameterValue", "Value {\"deadLetterTargetArn\": \"dummy\", \"maxReceiveCount\": 42} "
                + "for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.")),
        // maxReceiveCount given as a string is taken, and written back as SQS writes it: a number.
        Create.accepted("src" + suffix, Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\": \"" + arn("dlq" + suffix) + "\", \"maxReceiveCount\": \"5\"}"),
            Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dlq" + suffix) + "\",\"maxReceiveCount\":5}")),
        Create.accepted("src2" + suffix, Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\": \"" + arn("dlq" + suffix) + "\", \"maxReceiveCount\": 10}"),
            Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("dlq" + suffix) + "\",\"maxReceiveCount\":10}")));
  }

  private static String arn(String name) {
    return "arn:aws:sqs:us-east-1:000000000000:" + name;
  }

  @Test
  void createQueueAnswersAsAwsOverJson() {
    sqs().createQueue(b -> b.queueName("dlq-j"));
    for (Create c : creates("-j")) {
      Answer a = json(() -> sqs().createQueue(b -> b.queueName(c.queue()).attributesWithStrings(c.attributes())));
      assertAnswer("CreateQueue " + c.queue() + " " + c.attributes(), a, c.expected());
      if (c.readBack().isEmpty()) continue;
      String url = sqs().getQueueUrl(b -> b.queueName(c.queue())).queueUrl();
      assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(List.copyOf(c.readBack().keySet())))
          .attributesAsStrings()).isEqualTo(c.readBack());
      // Creating it again with the same attributes, in any spelling SQS accepts, is idempotent.
      assertThat(sqs().createQueue(b -> b.queueName(c.queue()).attributesWithStrings(c.attributes())).queueUrl()).isEqualTo(url);
    }
    assertThat(sqs().listQueues().queueUrls()).hasSize(5);
  }

  @Test
  void createQueueAnswersAsAwsOverQuery() throws Exception {
    answers.query("Action", "CreateQueue", "QueueName", "dlq-q").answer();
    for (Create c : creates("-q")) {
      Answer a = answers.query(SqsAnswers.withAttributes(new String[] {"Action", "CreateQueue", "QueueName", c.queue()},
          c.attributes())).answer();
      assertAnswer("CreateQueue " + c.queue() + " " + c.attributes(), a, c.expected());
      if (c.readBack().isEmpty()) continue;
      String url = answers.query("Action", "GetQueueUrl", "QueueName", c.queue()).text("QueueUrl");
      Map<String, String> params = new LinkedHashMap<>(Map.of("Action", "GetQueueAttributes", "QueueUrl", url));
      int n = 1;
      for (String name : c.readBack().keySet()) params.put("AttributeName." + n++, name);
      QueryReply r = answers.query(params);
      assertThat(QueryReply.pairs(r.all("GetQueueAttributesResult").get(0), "Attribute", "Name")).isEqualTo(c.readBack());
    }
    assertThat(answers.query("Action", "ListQueues").all("QueueUrl")).hasSize(5);
  }

  /** One SetQueueAttributes on a standard or a FIFO queue, and what it answers. */
  private record SetCase(boolean fifo, Map<String, String> attributes, Answer expected) {}

  private static final List<SetCase> SETS = List.of(
      new SetCase(false, Map.of("FifoQueue", "true"), Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoQueue.")),
      new SetCase(false, Map.of("FifoQueue", "false"), Answer.error(400, "InvalidAttributeName", "Unknown Attribute FifoQueue.")),
      new SetCase(true, Map.of("FifoQueue", "true"), Answer.ok()),
      new SetCase(true, Map.of("FifoQueue", "false"), Answer.error(400, "InvalidAttributeValue",
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")),
      new SetCase(false, Map.of("DelaySeconds", "901"),
          Answer.error(400, "InvalidAttributeValue", "Invalid value for the parameter DelaySeconds.")),
      new SetCase(false, Map.of("KmsMasterKeyId", "testKeyId", "SqsManagedSseEnabled", "true"),
          Answer.error(400, "InvalidAttributeName", SSE_CONFLICT)));

  @Test
  void setQueueAttributesAnswersAsAwsOverJson() {
    String standard = sqs().createQueue(b -> b.queueName("std")).queueUrl();
    String fifo = sqs().createQueue(b -> b.queueName("f.fifo").attributesWithStrings(Map.of("FifoQueue", "true"))).queueUrl();
    for (SetCase s : SETS) {
      Answer a = json(() -> sqs().setQueueAttributes(b -> b.queueUrl(s.fifo() ? fifo : standard).attributesWithStrings(s.attributes())));
      assertAnswer("SetQueueAttributes " + s, a, s.expected());
    }
  }

  @Test
  void setQueueAttributesAnswersAsAwsOverQuery() throws Exception {
    String standard = answers.query("Action", "CreateQueue", "QueueName", "std").text("QueueUrl");
    String fifo = answers.query("Action", "CreateQueue", "QueueName", "f.fifo",
        "Attribute.1.Name", "FifoQueue", "Attribute.1.Value", "true").text("QueueUrl");
    for (SetCase s : SETS) {
      Answer a = answers.query(SqsAnswers.withAttributes(
          new String[] {"Action", "SetQueueAttributes", "QueueUrl", s.fifo() ? fifo : standard}, s.attributes())).answer();
      assertAnswer("SetQueueAttributes " + s, a, s.expected());
    }
  }

  private static final List<String> SSE_NAMES = List.of("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled");

  /** test_sse_queue_attributes: the reuse period is a KMS attribute, reported only with a KMS key. */
  @Test
  void sseAttributesReportedAsAwsReportsThem() throws Exception {
    String kms = sqs().createQueue(b -> b.queueName("kms")).queueUrl();
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(kms).attributeNamesWithStrings("All")).attributesAsStrings())
        .containsEntry("SqsManagedSseEnabled", "true")
        .doesNotContainKeys("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds");
    sqs().setQueueAttributes(b -> b.queueUrl(kms).attributesWithStrings(Map.of(
        "KmsMasterKeyId", "testKeyId", "KmsDataKeyReusePeriodSeconds", "6000", "SqsManagedSseEnabled", "false")));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(kms).attributeNamesWithStrings(SSE_NAMES)).attributesAsStrings())
        .isEqualTo(Map.of("KmsMasterKeyId", "testKeyId", "KmsDataKeyReusePeriodSeconds", "6000", "SqsManagedSseEnabled", "false"));

    String sse = sqs().createQueue(b -> b.queueName("sse")).queueUrl();
    sqs().setQueueAttributes(b -> b.queueUrl(sse).attributesWithStrings(Map.of("SqsManagedSseEnabled", "true")));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(sse).attributeNamesWithStrings(SSE_NAMES)).attributesAsStrings())
        .isEqualTo(Map.of("SqsManagedSseEnabled", "true"));

    // The same over Query.
    QueryReply r = answers.query("Action", "GetQueueAttributes", "QueueUrl", sse, "AttributeName.1", "All");
    assertThat(QueryReply.pairs(r.all("GetQueueAttributesResult").get(0), "Attribute", "Name"))
        .containsEntry("SqsManagedSseEnabled", "true")
        .doesNotContainKeys("KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds");
  }
}
