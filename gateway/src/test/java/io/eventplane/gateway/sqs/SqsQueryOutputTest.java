package io.eventplane.gateway.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.WireResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** JSON output to Query XML, compared with the documents SQS's Query API returns. */
class SqsQueryOutputTest {
  private static final String HEAD = "<?xml version=\"1.0\"?>";
  private static final String NS = " xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"";
  private static final String META = "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>";

  private static String xml(String action, String outputJson) {
    WireResponse reply = SqsQueryProtocol.success(action, new JsonObject(outputJson), "req-1");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("text/xml");
    assertThat(reply.headers()).containsEntry("x-amzn-RequestId", "req-1");
    return reply.body();
  }

  @Test
  void receiveMessageInModelOrder() {
    String out = xml("ReceiveMessage", "{\"Messages\":[{"
        + "\"Body\":\"a&b\\r\\n<c>\",\"MessageId\":\"m1\",\"ReceiptHandle\":\"rh1\",\"MD5OfBody\":\"md5\","
        + "\"MessageAttributes\":{\"color\":{\"DataType\":\"String\",\"StringValue\":\"red\"},"
        + "\"bin\":{\"DataType\":\"Binary\",\"BinaryValue\":\"AAE=\"}},"
        + "\"Attributes\":{\"SentTimestamp\":\"1700000000000\",\"ApproximateReceiveCount\":\"1\"},"
        + "\"MD5OfMessageAttributes\":\"md5a\"},{\"MessageId\":\"m2\",\"Body\":\"\"}]}");
    assertThat(out).isEqualTo(HEAD + "<ReceiveMessageResponse" + NS + "><ReceiveMessageResult>"
        + "<Message><MessageId>m1</MessageId><ReceiptHandle>rh1</ReceiptHandle><MD5OfBody>md5</MD5OfBody>"
        + "<Body>a&amp;b&#xD;\n&lt;c&gt;</Body>"
        + "<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>"
        + "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"
        + "<MD5OfMessageAttributes>md5a</MD5OfMessageAttributes>"
        + "<MessageAttribute><Name>color</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>"
        + "<MessageAttribute><Name>bin</Name><Value><BinaryValue>AAE=</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>"
        + "</Message>"
        + "<Message><MessageId>m2</MessageId><Body></Body></Message>"
        + "</ReceiveMessageResult>" + META + "</ReceiveMessageResponse>");
  }

  /** AWS writes the empty result element self-closed (LocalStack's AWS-validated test_get_send_and_receive_messages). */
  @Test
  void receiveMessageWithNoMessagesKeepsTheResultElement() {
    assertThat(xml("ReceiveMessage", "{}"))
        .isEqualTo(HEAD + "<ReceiveMessageResponse" + NS + "><ReceiveMessageResult/>" + META
            + "</ReceiveMessageResponse>");
  }

  @Test
  void getQueueAttributes() {
    assertThat(xml("GetQueueAttributes", "{\"Attributes\":{\"VisibilityTimeout\":\"30\",\"QueueArn\":\"arn:aws:sqs:us-east-1:000000000000:q\"}}"))
        .isEqualTo(HEAD + "<GetQueueAttributesResponse" + NS + "><GetQueueAttributesResult>"
            + "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
            + "<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:q</Value></Attribute>"
            + "</GetQueueAttributesResult>" + META + "</GetQueueAttributesResponse>");
  }

  @Test
  void sendMessageBatchSuccessfulAndFailedEntries() {
    assertThat(xml("SendMessageBatch", "{\"Failed\":[{\"Id\":\"b\",\"SenderFault\":true,\"Code\":\"InvalidParameterValue\","
        + "\"Message\":\"bad\"}],\"Successful\":[{\"Id\":\"a\",\"MessageId\":\"m1\",\"MD5OfMessageBody\":\"x\"}]}"))
        .isEqualTo(HEAD + "<SendMessageBatchResponse" + NS + "><SendMessageBatchResult>"
            + "<SendMessageBatchResultEntry><Id>a</Id><MessageId>m1</MessageId><MD5OfMessageBody>x</MD5OfMessageBody>"
            + "</SendMessageBatchResultEntry>"
            + "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>"
            + "<Message>bad</Message></BatchResultErrorEntry>"
            + "</SendMessageBatchResult>" + META + "</SendMessageBatchResponse>");
  }

  @Test
  void listQueuesRepeatsQueueUrlAndKeepsTheToken() {
    assertThat(xml("ListQueues", "{\"QueueUrls\":[\"http://h/0/a\",\"http://h/0/b\"],\"NextToken\":\"t\"}"))
        .isEqualTo(HEAD + "<ListQueuesResponse" + NS + "><ListQueuesResult>"
            + "<QueueUrl>http://h/0/a</QueueUrl><QueueUrl>http://h/0/b</QueueUrl><NextToken>t</NextToken>"
            + "</ListQueuesResult>" + META + "</ListQueuesResponse>");
  }

  @Test
  void listDeadLetterSourceQueuesReadsTheLowercaseMember() {
    assertThat(xml("ListDeadLetterSourceQueues", "{\"queueUrls\":[\"http://h/0/a\"]}"))
        .contains("<ListDeadLetterSourceQueuesResult><QueueUrl>http://h/0/a</QueueUrl></ListDeadLetterSourceQueuesResult>");
  }

  @Test
  void listMessageMoveTasksEntries() {
    assertThat(xml("ListMessageMoveTasks", "{\"Results\":[{\"TaskHandle\":\"th\",\"Status\":\"RUNNING\","
        + "\"SourceArn\":\"arn:s\",\"DestinationArn\":\"arn:d\",\"MaxNumberOfMessagesPerSecond\":10,"
        + "\"ApproximateNumberOfMessagesMoved\":3,\"ApproximateNumberOfMessagesToMove\":9,\"StartedTimestamp\":1700000000000}]}"))
        .isEqualTo(HEAD + "<ListMessageMoveTasksResponse" + NS + "><ListMessageMoveTasksResult>"
            + "<ListMessageMoveTasksResultEntry><TaskHandle>th</TaskHandle><Status>RUNNING</Status>"
            + "<SourceArn>arn:s</SourceArn><DestinationArn>arn:d</DestinationArn>"
            + "<MaxNumberOfMessagesPerSecond>10</MaxNumberOfMessagesPerSecond>"
            + "<ApproximateNumberOfMessagesMoved>3</ApproximateNumberOfMessagesMoved>"
            + "<ApproximateNumberOfMessagesToMove>9</ApproximateNumberOfMessagesToMove>"
            + "<StartedTimestamp>1700000000000</StartedTimestamp></ListMessageMoveTasksResultEntry>"
            + "</ListMessageMoveTasksResult>" + META + "</ListMessageMoveTasksResponse>");
  }

  @Test
  void listQueueTagsAndSendMessage() {
    assertThat(xml("ListQueueTags", "{\"Tags\":{\"team\":\"core\"}}"))
        .contains("<ListQueueTagsResult><Tag><Key>team</Key><Value>core</Value></Tag></ListQueueTagsResult>");
    assertThat(xml("SendMessage", "{\"MessageId\":\"m\",\"MD5OfMessageBody\":\"b\",\"Unknown\":1}"))
        .contains("<SendMessageResult><MD5OfMessageBody>b</MD5OfMessageBody><MessageId>m</MessageId></SendMessageResult>");
  }

  @Test
  void operationsWithoutOutputHaveOnlyMetadata() {
    assertThat(xml("DeleteMessage", "{}"))
        .isEqualTo(HEAD + "<DeleteMessageResponse" + NS + ">" + META + "</DeleteMessageResponse>");
  }

  @Test
  void outputThatDoesNotFitTheModelIsAnInternalFailure() {
    WireResponse reply = SqsQueryProtocol.success("ListQueues", new JsonObject().put("QueueUrls", "not-a-list"), "req-1");
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).contains("<Type>Receiver</Type><Code>InternalError</Code>");
  }
}
