package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/**
 * A message the redrive policy moves to the dead-letter queue arrives there as SQS delivers it:
 * same id, body, message attributes (and their digest), AWSTraceHeader, DeadLetterQueueSourceArn,
 * and an ApproximateReceiveCount that goes on from the source's count (a drill against SQS with
 * maxReceiveCount 5 read 6 on the first receive from the dead-letter queue), over both protocols.
 */
class DeadLetterAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  private record Pair(String source, String sourceArn, String dlq) {}

  private Pair queues(String prefix, int maxReceiveCount) {
    String dlq = sqs().createQueue(b -> b.queueName(prefix + "-dlq")).queueUrl();
    String dlqArn = "arn:aws:sqs:us-east-1:000000000000:" + prefix + "-dlq";
    String source = sqs().createQueue(b -> b.queueName(prefix).attributesWithStrings(Map.of("VisibilityTimeout", "0",
        "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}"))).queueUrl();
    return new Pair(source, "arn:aws:sqs:us-east-1:000000000000:" + prefix, dlq);
  }

  @Test
  void aDeadLetteredMessageKeepsItsAttributesAndReceiveCountOverJson() {
    Pair p = queues("poison-j", 2);
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("timestamp", MessageAttributeValue.builder().dataType("Number").stringValue("1493147359900").build());
    var sent = sqs().sendMessage(b -> b.queueUrl(p.source()).messageBody("poison").messageAttributes(attrs)
        .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
            MessageSystemAttributeValue.builder().dataType("String").stringValue(TRACE).build())));
    assertThat(sent.md5OfMessageSystemAttributes()).isEqualTo("5ae4d5d7636402d80f4eb6d213245a88");
    for (int i = 1; i <= 2; i++) {
      assertThat(sqs().receiveMessage(b -> b.queueUrl(p.source())).messages()).hasSize(1);
    }
    // The receive past maxReceiveCount moves the message instead of delivering it.
    assertThat(sqs().receiveMessage(b -> b.queueUrl(p.source())).messages()).isEmpty();

    Message m = sqs().receiveMessage(b -> b.queueUrl(p.dlq()).messageAttributeNames("All")
        .messageSystemAttributeNamesWithStrings("All")).messages().get(0);
    assertThat(m.messageId()).isEqualTo(sent.messageId());
    assertThat(m.body()).isEqualTo("poison");
    assertThat(m.messageAttributes()).isEqualTo(attrs);
    assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
    assertThat(m.attributesAsStrings())
        .containsEntry("ApproximateReceiveCount", "3")
        .containsEntry("AWSTraceHeader", TRACE)
        .containsEntry("DeadLetterQueueSourceArn", p.sourceArn());
  }

  @Test
  void aDeadLetteredMessageKeepsItsAttributesAndReceiveCountOverQuery() throws Exception {
    Pair p = queues("poison-q", 1);
    answers.query("Action", "SendMessage", "QueueUrl", p.source(), "MessageBody", "poison",
        "MessageAttribute.1.Name", "kind", "MessageAttribute.1.Value.DataType", "String",
        "MessageAttribute.1.Value.StringValue", "bad", "MessageSystemAttribute.1.Name", "AWSTraceHeader",
        "MessageSystemAttribute.1.Value.DataType", "String", "MessageSystemAttribute.1.Value.StringValue", TRACE);
    assertThat(answers.query("Action", "ReceiveMessage", "QueueUrl", p.source()).all("Message")).hasSize(1);
    assertThat(answers.query("Action", "ReceiveMessage", "QueueUrl", p.source()).all("Message")).isEmpty();

    QueryReply r = answers.query("Action", "ReceiveMessage", "QueueUrl", p.dlq(), "AttributeName.1", "All",
        "MessageAttributeName.1", "All");
    Element m = r.all("Message").get(0);
    assertThat(QueryReply.text(m, "Body")).isEqualTo("poison");
    assertThat(QueryReply.pairs(m, "Attribute", "Name"))
        .containsEntry("ApproximateReceiveCount", "2")
        .containsEntry("AWSTraceHeader", TRACE)
        .containsEntry("DeadLetterQueueSourceArn", p.sourceArn());
    Element attr = r.all("MessageAttribute").get(0);
    assertThat(QueryReply.text(attr, "Name")).isEqualTo("kind");
    assertThat(QueryReply.text(attr, "StringValue")).isEqualTo("bad");
  }
}
