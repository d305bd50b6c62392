package io.eventplane.gateway.sqs;

import static io.eventplane.gateway.query.Shape.Scalar.BLOB;
import static io.eventplane.gateway.query.Shape.Scalar.BOOLEAN;
import static io.eventplane.gateway.query.Shape.Scalar.INTEGER;
import static io.eventplane.gateway.query.Shape.Scalar.LONG;
import static io.eventplane.gateway.query.Shape.Scalar.STRING;

import static io.eventplane.gateway.query.Shape.member;
import static io.eventplane.gateway.query.Shape.op;
import static io.eventplane.gateway.query.Shape.struct;

import io.eventplane.gateway.query.QueryModel;
import io.eventplane.gateway.query.Shape;
import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Operation;
import io.eventplane.gateway.query.Shape.Struct;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The 23 SQS operations with their input and output shapes. Transcribed from botocore's Query
 * model of SQS 2012-11-05 (the last botocore that shipped it, 1.34), which gives the Query names
 * ({@code locationName}) next to the JSON member names; member order is the model's, which is the
 * order AWS writes XML elements in. One addition: ReceiveMessage's
 * {@code MessageSystemAttributeNames}, newer than that model.
 */
public final class SqsModel {
  /** The XML namespace of every SQS Query response. */
  public static final String XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
  public static final String API_VERSION = "2012-11-05";
  /** ReceiveMessage long-polls for up to 20 s before it answers. */
  static final java.util.Map<String, java.time.Duration> SLOW_OPERATIONS =
      java.util.Map.of("ReceiveMessage", java.time.Duration.ofSeconds(20));

  private static final Struct MESSAGE_ATTRIBUTE_VALUE = struct(
      member("StringValue", STRING),
      member("BinaryValue", BLOB),
      member("StringListValues", "StringListValue", list(STRING)),
      member("BinaryListValues", "BinaryListValue", list(BLOB)),
      member("DataType", STRING));
  private static final Member QUEUE_URL = member("QueueUrl", STRING);
  private static final Member QUEUE_ATTRIBUTES = member("Attributes", "Attribute", map("Name", "Value", STRING));
  private static final Member MESSAGE_ATTRIBUTES =
      member("MessageAttributes", "MessageAttribute", map("Name", "Value", MESSAGE_ATTRIBUTE_VALUE));
  private static final Member MESSAGE_SYSTEM_ATTRIBUTES =
      member("MessageSystemAttributes", "MessageSystemAttribute", map("Name", "Value", MESSAGE_ATTRIBUTE_VALUE));
  private static final Member TAGS = member("Tags", "Tag", map("Key", "Value", STRING));
  private static final Member FAILED = member("Failed", "BatchResultErrorEntry", list(struct(
      member("Id", STRING),
      member("SenderFault", BOOLEAN),
      member("Code", STRING),
      member("Message", STRING))));
  private static final Struct ID_ONLY = struct(member("Id", STRING));

  private static final Struct MESSAGE = struct(
      member("MessageId", STRING),
      member("ReceiptHandle", STRING),
      member("MD5OfBody", STRING),
      member("Body", STRING),
      member("Attributes", "Attribute", map("Name", "Value", STRING)),
      member("MD5OfMessageAttributes", STRING),
      MESSAGE_ATTRIBUTES);

  private static final Struct SEND_MESSAGE_BATCH_REQUEST_ENTRY = struct(
      member("Id", STRING),
      member("MessageBody", STRING),
      member("DelaySeconds", INTEGER),
      MESSAGE_ATTRIBUTES,
      MESSAGE_SYSTEM_ATTRIBUTES,
      member("MessageDeduplicationId", STRING),
      member("MessageGroupId", STRING));

  private static final Struct SEND_MESSAGE_BATCH_RESULT_ENTRY = struct(
      member("Id", STRING),
      member("MessageId", STRING),
      member("MD5OfMessageBody", STRING),
      member("MD5OfMessageAttributes", STRING),
      member("MD5OfMessageSystemAttributes", STRING),
      member("SequenceNumber", STRING));

  private static final Struct LIST_MESSAGE_MOVE_TASKS_RESULT_ENTRY = struct(
      member("TaskHandle", STRING),
      member("Status", STRING),
      member("SourceArn", STRING),
      member("DestinationArn", STRING),
      member("MaxNumberOfMessagesPerSecond", INTEGER),
      member("ApproximateNumberOfMessagesMoved", LONG),
      member("ApproximateNumberOfMessagesToMove", LONG),
      member("FailureReason", STRING),
      member("StartedTimestamp", LONG));

  static final QueryModel MODEL = new QueryModel(XML_NAMESPACE, Stream.of(
          op("AddPermission", struct(QUEUE_URL, member("Label", STRING),
              member("AWSAccountIds", "AWSAccountId", list(STRING)),
              member("Actions", "ActionName", list(STRING))), null),
          op("CancelMessageMoveTask", struct(member("TaskHandle", STRING)),
              struct(member("ApproximateNumberOfMessagesMoved", LONG))),
          op("ChangeMessageVisibility", struct(QUEUE_URL, member("ReceiptHandle", STRING),
              member("VisibilityTimeout", INTEGER)), null),
          op("ChangeMessageVisibilityBatch", struct(QUEUE_URL,
                  member("Entries", "ChangeMessageVisibilityBatchRequestEntry", list(struct(
                      member("Id", STRING), member("ReceiptHandle", STRING), member("VisibilityTimeout", INTEGER))))),
              struct(member("Successful", "ChangeMessageVisibilityBatchResultEntry", list(ID_ONLY)), FAILED)),
          op("CreateQueue", struct(member("QueueName", STRING), QUEUE_ATTRIBUTES,
                  member("tags", "Tag", map("Key", "Value", STRING))),
              struct(QUEUE_URL)),
          op("DeleteMessage", struct(QUEUE_URL, member("ReceiptHandle", STRING)), null),
          op("DeleteMessageBatch", struct(QUEUE_URL,
                  member("Entries", "DeleteMessageBatchRequestEntry", list(struct(
                      member("Id", STRING), member("ReceiptHandle", STRING))))),
              struct(member("Successful", "DeleteMessageBatchResultEntry", list(ID_ONLY)), FAILED)),
          op("DeleteQueue", struct(QUEUE_URL), null),
          op("GetQueueAttributes", struct(QUEUE_URL, member("AttributeNames", "AttributeName", list(STRING))),
              struct(QUEUE_ATTRIBUTES)),
          op("GetQueueUrl", struct(member("QueueName", STRING), member("QueueOwnerAWSAccountId", STRING)),
              struct(QUEUE_URL)),
          op("ListDeadLetterSourceQueues", struct(QUEUE_URL, member("NextToken", STRING),
                  member("MaxResults", INTEGER)),
              struct(member("queueUrls", "QueueUrl", list(STRING)), member("NextToken", STRING))),
          op("ListMessageMoveTasks", struct(member("SourceArn", STRING), member("MaxResults", INTEGER)),
              struct(member("Results", "ListMessageMoveTasksResultEntry", list(LIST_MESSAGE_MOVE_TASKS_RESULT_ENTRY)))),
          op("ListQueueTags", struct(QUEUE_URL), struct(TAGS)),
          op("ListQueues", struct(member("QueueNamePrefix", STRING), member("NextToken", STRING),
                  member("MaxResults", INTEGER)),
              struct(member("QueueUrls", "QueueUrl", list(STRING)), member("NextToken", STRING))),
          op("PurgeQueue", struct(QUEUE_URL), null),
          op("ReceiveMessage", struct(QUEUE_URL,
                  member("AttributeNames", "AttributeName", list(STRING)),
                  member("MessageSystemAttributeNames", "MessageSystemAttributeName", list(STRING)),
                  member("MessageAttributeNames", "MessageAttributeName", list(STRING)),
                  member("MaxNumberOfMessages", INTEGER),
                  member("VisibilityTimeout", INTEGER),
                  member("WaitTimeSeconds", INTEGER),
                  member("ReceiveRequestAttemptId", STRING)),
              struct(member("Messages", "Message", list(MESSAGE)))),
          op("RemovePermission", struct(QUEUE_URL, member("Label", STRING)), null),
          op("SendMessage", struct(QUEUE_URL,
                  member("MessageBody", STRING),
                  member("DelaySeconds", INTEGER),
                  MESSAGE_ATTRIBUTES,
                  MESSAGE_SYSTEM_ATTRIBUTES,
                  member("MessageDeduplicationId", STRING),
                  member("MessageGroupId", STRING)),
              struct(
                  member("MD5OfMessageBody", STRING),
                  member("MD5OfMessageAttributes", STRING),
                  member("MD5OfMessageSystemAttributes", STRING),
                  member("MessageId", STRING),
                  member("SequenceNumber", STRING))),
          op("SendMessageBatch", struct(QUEUE_URL,
                  member("Entries", "SendMessageBatchRequestEntry", list(SEND_MESSAGE_BATCH_REQUEST_ENTRY))),
              struct(member("Successful", "SendMessageBatchResultEntry", list(SEND_MESSAGE_BATCH_RESULT_ENTRY)), FAILED)),
          op("SetQueueAttributes", struct(QUEUE_URL, QUEUE_ATTRIBUTES), null),
          op("StartMessageMoveTask", struct(member("SourceArn", STRING), member("DestinationArn", STRING),
                  member("MaxNumberOfMessagesPerSecond", INTEGER)),
              struct(member("TaskHandle", STRING))),
          op("TagQueue", struct(QUEUE_URL, TAGS), null),
          op("UntagQueue", struct(QUEUE_URL, member("TagKeys", "TagKey", list(STRING))), null)));

  private SqsModel() {}

  public static boolean isOperation(String name) {
    return MODEL.isOperation(name);
  }

  public static Set<String> operations() {
    return MODEL.operations();
  }

  static Operation operation(String name) {
    return MODEL.operation(name);
  }

  private static ListOf list(Shape member) {
    return ListOf.flattened(member);
  }

  private static MapOf map(String keyName, String valueName, Shape value) {
    return MapOf.flattened(keyName, valueName, value);
  }
}
