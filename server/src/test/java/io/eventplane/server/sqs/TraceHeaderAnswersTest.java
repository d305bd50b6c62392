package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * AWSTraceHeader as SQS propagates it, over both wire protocols: from SendMessage's
 * MessageSystemAttributes (digest recorded by LocalStack's validated
 * test_system_attributes_have_no_effect_on_attr_md5) and from the {@code X-Amzn-Trace-Id} header
 * of SendMessage and SendMessageBatch, which stands for every message of the call unless a message
 * names its own (the system attribute wins: AWS X-Ray developer guide, "Amazon SQS and AWS X-Ray").
 */
class TraceHeaderAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final String HEADER_TRACE = "Root=1-67891233-abcdef012345678912345678;Parent=1234567890abcdef;Sampled=1";

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  private static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> trace(String value) {
    return Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType("String").stringValue(value).build());
  }

  private List<String> receivedTraces(String url) {
    return sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
            .messageSystemAttributeNamesWithStrings("AWSTraceHeader")).messages().stream()
        .map(m -> m.attributesAsStrings().get("AWSTraceHeader")).toList();
  }

  @Test
  void aSystemAttributeTraceHeaderIsKeptAndDigestedAlone() {
    String url = sqs().createQueue(b -> b.queueName("traced")).queueUrl();
    Map<String, MessageAttributeValue> attrs = Map.of("timestamp",
        MessageAttributeValue.builder().dataType("Number").stringValue("1493147359900").build());
    var plain = sqs().sendMessage(b -> b.queueUrl(url).messageBody("test").messageAttributes(attrs));
    var traced = sqs().sendMessage(b -> b.queueUrl(url).messageBody("test").messageAttributes(attrs)
        .messageSystemAttributes(trace(TRACE)));
    assertThat(traced.md5OfMessageAttributes()).isEqualTo(plain.md5OfMessageAttributes());
    assertThat(plain.md5OfMessageSystemAttributes()).isNull();
    assertThat(traced.md5OfMessageSystemAttributes()).isEqualTo("5ae4d5d7636402d80f4eb6d213245a88");
    assertThat(receivedTraces(url)).containsExactlyInAnyOrder(null, TRACE);
  }

  @Test
  void theTraceHeaderStandsForEveryMessageOfTheCallOverJson() {
    String url = sqs().createQueue(b -> b.queueName("header-j")).queueUrl();
    var sent = sqs().sendMessage(b -> b.queueUrl(url).messageBody("one")
        .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", HEADER_TRACE)));
    // The header is no system attribute the caller sent: no digest for it.
    assertThat(sent.md5OfMessageSystemAttributes()).isNull();
    sqs().sendMessageBatch(b -> b.queueUrl(url).entries(
            SendMessageBatchRequestEntry.builder().id("a").messageBody("two").build(),
            SendMessageBatchRequestEntry.builder().id("b").messageBody("three").messageSystemAttributes(trace(TRACE)).build())
        .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", HEADER_TRACE)));
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .messageSystemAttributeNamesWithStrings("AWSTraceHeader")).messages();
    Map<String, String> traceByBody = new LinkedHashMap<>();
    got.forEach(m -> traceByBody.put(m.body(), m.attributesAsStrings().get("AWSTraceHeader")));
    assertThat(traceByBody).isEqualTo(Map.of("one", HEADER_TRACE, "two", HEADER_TRACE, "three", TRACE));
  }

  @Test
  void theTraceHeaderStandsForEveryMessageOfTheCallOverQuery() throws Exception {
    String url = answers.query("Action", "CreateQueue", "QueueName", "header-q").text("QueueUrl");
    QueryReply sent = answers.query(Map.of("X-Amzn-Trace-Id", HEADER_TRACE),
        Map.of("Action", "SendMessage", "QueueUrl", url, "MessageBody", "one"));
    assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
    assertThat(sent.all("MD5OfMessageSystemAttributes")).isEmpty();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("Action", "ReceiveMessage");
    p.put("QueueUrl", url);
    p.put("AttributeName.1", "AWSTraceHeader");
    QueryReply r = answers.query(p);
    assertThat(QueryReply.pairs(r.all("Message").get(0), "Attribute", "Name")).isEqualTo(Map.of("AWSTraceHeader", HEADER_TRACE));
  }
}
