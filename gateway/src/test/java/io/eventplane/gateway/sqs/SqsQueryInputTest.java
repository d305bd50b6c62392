package io.eventplane.gateway.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.query.FormDecoder;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Query form parameters to the canonical JSON input, one test per flattened shape. */
class SqsQueryInputTest {
  private static final String BASE = "http://localhost:4566";
  private static final String QUEUE = BASE + "/000000000000/orders";

  private static JsonObject input(String action, String form) {
    Map<String, String> params = FormDecoder.decode("Action=" + action + "&Version=2012-11-05&" + form);
    return SqsQueryProtocol.input(action, params, "/", BASE);
  }

  private static JsonObject json(String text) {
    return new JsonObject(text);
  }

  @Test
  void modelsAllTwentyThreeOperations() {
    assertThat(SqsModel.operations()).containsExactlyInAnyOrder(
        "AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
        "CreateQueue", "DeleteMessage", "DeleteMessageBatch", "DeleteQueue", "GetQueueAttributes", "GetQueueUrl",
        "ListDeadLetterSourceQueues", "ListMessageMoveTasks", "ListQueueTags", "ListQueues", "PurgeQueue",
        "ReceiveMessage", "RemovePermission", "SendMessage", "SendMessageBatch", "SetQueueAttributes",
        "StartMessageMoveTask", "TagQueue", "UntagQueue");
    for (String op : SqsModel.operations()) assertThat(input(op, "")).isEqualTo(new JsonObject());
  }

  @Test
  void createQueueAttributesAndLowercaseTags() {
    assertThat(input("CreateQueue", "QueueName=orders&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=40"
        + "&Attribute.2.Name=FifoQueue&Attribute.2.Value=false&Tag.1.Key=team&Tag.1.Value=core"))
        .isEqualTo(json("{\"QueueName\":\"orders\",\"Attributes\":{\"VisibilityTimeout\":\"40\",\"FifoQueue\":\"false\"},"
            + "\"tags\":{\"team\":\"core\"}}"));
  }

  @Test
  void setQueueAttributesKeepsValuesAsStrings() {
    assertThat(input("SetQueueAttributes", "QueueUrl=" + QUEUE + "&Attribute.1.Name=Policy&Attribute.1.Value=%7B%22a%22%3A1%7D"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Attributes\":{\"Policy\":\"{\\\"a\\\":1}\"}}"));
  }

  @Test
  void tagQueueUsesCapitalTagsAndUntagQueueTagKeys() {
    assertThat(input("TagQueue", "QueueUrl=" + QUEUE + "&Tag.1.Key=a&Tag.1.Value=1&Tag.2.Key=b&Tag.2.Value="))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Tags\":{\"a\":\"1\",\"b\":\"\"}}"));
    assertThat(input("UntagQueue", "QueueUrl=" + QUEUE + "&TagKey.1=a&TagKey.2=b"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"TagKeys\":[\"a\",\"b\"]}"));
  }

  @Test
  void getQueueAttributesNames() {
    assertThat(input("GetQueueAttributes", "QueueUrl=" + QUEUE + "&AttributeName.1=All"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"AttributeNames\":[\"All\"]}"));
  }

  @Test
  void receiveMessageListsAndNumbers() {
    assertThat(input("ReceiveMessage", "QueueUrl=" + QUEUE + "&AttributeName.1=SentTimestamp&AttributeName.2=ApproximateReceiveCount"
        + "&MessageSystemAttributeName.1=All&MessageAttributeName.1=trace.*&MaxNumberOfMessages=10&VisibilityTimeout=0"
        + "&WaitTimeSeconds=20&ReceiveRequestAttemptId=r1"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"AttributeNames\":[\"SentTimestamp\",\"ApproximateReceiveCount\"],"
            + "\"MessageSystemAttributeNames\":[\"All\"],\"MessageAttributeNames\":[\"trace.*\"],"
            + "\"MaxNumberOfMessages\":10,\"VisibilityTimeout\":0,\"WaitTimeSeconds\":20,\"ReceiveRequestAttemptId\":\"r1\"}"));
  }

  @Test
  void numbersThatDoNotParseStayStringsForTheServiceToReject() {
    JsonObject in = input("ReceiveMessage", "MaxNumberOfMessages=ten&WaitTimeSeconds=1.5&VisibilityTimeout=99999999999");
    assertThat(in.getValue("MaxNumberOfMessages")).isEqualTo("ten");
    assertThat(in.getValue("WaitTimeSeconds")).isEqualTo("1.5");
    assertThat(in.getValue("VisibilityTimeout")).isEqualTo("99999999999");
    assertThat(input("SendMessage", "DelaySeconds=-5").getValue("DelaySeconds")).isEqualTo(-5);
  }

  @Test
  void sendMessageWithMessageAndSystemAttributes() {
    assertThat(input("SendMessage", "QueueUrl=" + QUEUE + "&MessageBody=hi%0D%0Athere&DelaySeconds=5"
        + "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red"
        + "&MessageAttribute.2.Name=blob&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AAEC"
        + "&MessageAttribute.3.Name=list&MessageAttribute.3.Value.DataType=String&MessageAttribute.3.Value.StringListValue.1=x"
        + "&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String"
        + "&MessageSystemAttribute.1.Value.StringValue=Root%3D1-abc&MessageGroupId=g&MessageDeduplicationId=d"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"MessageBody\":\"hi\\r\\nthere\",\"DelaySeconds\":5,"
            + "\"MessageAttributes\":{\"color\":{\"StringValue\":\"red\",\"DataType\":\"String\"},"
            + "\"blob\":{\"BinaryValue\":\"AAEC\",\"DataType\":\"Binary\"},"
            + "\"list\":{\"StringListValues\":[\"x\"],\"DataType\":\"String\"}},"
            + "\"MessageSystemAttributes\":{\"AWSTraceHeader\":{\"StringValue\":\"Root=1-abc\",\"DataType\":\"String\"}},"
            + "\"MessageDeduplicationId\":\"d\",\"MessageGroupId\":\"g\"}"));
  }

  @Test
  void sendMessageBatchEntriesWithNestedAttributesInIndexOrder() {
    JsonObject in = input("SendMessageBatch", "QueueUrl=" + QUEUE
        + "&SendMessageBatchRequestEntry.10.Id=ten&SendMessageBatchRequestEntry.10.MessageBody=b10"
        + "&SendMessageBatchRequestEntry.2.Id=two&SendMessageBatchRequestEntry.2.MessageBody=b2"
        + "&SendMessageBatchRequestEntry.2.DelaySeconds=3"
        + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=k"
        + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=Number"
        + "&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=42"
        + "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Name=AWSTraceHeader"
        + "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Value.DataType=String"
        + "&SendMessageBatchRequestEntry.2.MessageSystemAttribute.1.Value.StringValue=t"
        + "&SendMessageBatchRequestEntry.1.Id=one&SendMessageBatchRequestEntry.1.MessageBody=b1"
        + "&SendMessageBatchRequestEntry.1.MessageGroupId=g1");
    assertThat(in).isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":["
        + "{\"Id\":\"one\",\"MessageBody\":\"b1\",\"MessageGroupId\":\"g1\"},"
        + "{\"Id\":\"two\",\"MessageBody\":\"b2\",\"DelaySeconds\":3,"
        + "\"MessageAttributes\":{\"k\":{\"StringValue\":\"42\",\"DataType\":\"Number\"}},"
        + "\"MessageSystemAttributes\":{\"AWSTraceHeader\":{\"StringValue\":\"t\",\"DataType\":\"String\"}}},"
        + "{\"Id\":\"ten\",\"MessageBody\":\"b10\"}]}"));
  }

  @Test
  void deleteAndChangeVisibilityBatchEntries() {
    assertThat(input("DeleteMessageBatch", "QueueUrl=" + QUEUE + "&DeleteMessageBatchRequestEntry.1.Id=a"
        + "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=rh1&DeleteMessageBatchRequestEntry.2.Id=b"
        + "&DeleteMessageBatchRequestEntry.2.ReceiptHandle=rh%2B2"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"rh1\"},"
            + "{\"Id\":\"b\",\"ReceiptHandle\":\"rh+2\"}]}"));
    assertThat(input("ChangeMessageVisibilityBatch", "QueueUrl=" + QUEUE
        + "&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=rh"
        + "&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=60"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":[{\"Id\":\"a\",\"ReceiptHandle\":\"rh\","
            + "\"VisibilityTimeout\":60}]}"));
  }

  @Test
  void permissionsAccountsAndActions() {
    assertThat(input("AddPermission", "QueueUrl=" + QUEUE + "&Label=l&AWSAccountId.1=111111111111&AWSAccountId.2=222222222222"
        + "&ActionName.1=SendMessage&ActionName.2=ReceiveMessage"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\",\"Label\":\"l\","
            + "\"AWSAccountIds\":[\"111111111111\",\"222222222222\"],\"Actions\":[\"SendMessage\",\"ReceiveMessage\"]}"));
  }

  @Test
  void moveTasksAndListings() {
    assertThat(input("StartMessageMoveTask", "SourceArn=arn:s&DestinationArn=arn:d&MaxNumberOfMessagesPerSecond=50"))
        .isEqualTo(json("{\"SourceArn\":\"arn:s\",\"DestinationArn\":\"arn:d\",\"MaxNumberOfMessagesPerSecond\":50}"));
    assertThat(input("ListMessageMoveTasks", "SourceArn=arn:s&MaxResults=5"))
        .isEqualTo(json("{\"SourceArn\":\"arn:s\",\"MaxResults\":5}"));
    assertThat(input("ListQueues", "QueueNamePrefix=ord&MaxResults=100&NextToken=t"))
        .isEqualTo(json("{\"QueueNamePrefix\":\"ord\",\"NextToken\":\"t\",\"MaxResults\":100}"));
  }

  @Test
  void queueUrlComesFromThePathWhenAbsent() {
    Map<String, String> params = FormDecoder.decode("Action=SendMessage&MessageBody=x");
    assertThat(SqsQueryProtocol.input("SendMessage", params, "/000000000000/orders", BASE).getString("QueueUrl"))
        .isEqualTo(QUEUE);
    Map<String, String> explicit = FormDecoder.decode("Action=SendMessage&QueueUrl=http%3A%2F%2Fother%2F1%2Fq");
    assertThat(SqsQueryProtocol.input("SendMessage", explicit, "/000000000000/orders", BASE).getString("QueueUrl"))
        .isEqualTo("http://other/1/q");
    assertThat(SqsQueryProtocol.input("ListQueues", params, "/", BASE).containsKey("QueueUrl")).isFalse();
  }

  /** LocalStack's AWS-validated test_get_list_queues_fails, test_get_create_queue_fails: not at a queue URL. */
  @Test
  void endpointActionsAreRefusedAtAQueueUrl() {
    for (String action : List.of("ListQueues", "CreateQueue")) {
      assertThatThrownBy(() -> SqsQueryProtocol.input(action, Map.of("Action", action, "QueueName", "q"), "/000000000000/orders", BASE))
          .isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.error().code()).isEqualTo("InvalidAction");
            assertThat(e.error().message()).isEqualTo("The action " + action + " is not valid for this endpoint.");
          });
    }
  }

  @Test
  void aMapEntryWithoutItsNameIsAMissingParameter() {
    assertThatThrownBy(() -> input("SetQueueAttributes", "Attribute.1.Value=5"))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.error().code()).isEqualTo("MissingParameter");
          assertThat(e.error().message()).contains("Attribute.1.Name");
        });
  }

  @Test
  void parametersOutsideTheModelAreIgnored() {
    assertThat(input("DeleteQueue", "QueueUrl=" + QUEUE + "&Foo=bar&Attribute.1.Name=x&X-Amz-Signature=s"))
        .isEqualTo(json("{\"QueueUrl\":\"" + QUEUE + "\"}"));
  }
}
