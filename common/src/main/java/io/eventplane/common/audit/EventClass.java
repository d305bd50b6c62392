package io.eventplane.common.audit;

import java.util.Map;
import java.util.Set;

/**
 * How CloudTrail files an operation: the event source of the service, whether the call only reads,
 * and whether it is a data event (recorded only where a trail selects it) or a management event
 * (always recorded). Data events as the CloudTrail user guide lists them for the services Eventplane
 * serves: SQS message operations, SNS Publish/PublishBatch, S3 object-level operations, Lambda
 * Invoke, EventBridge PutEvents, CloudWatch Logs' event reads and writes, Kinesis Data Streams' record
 * reads and writes. Firehose's PutRecord and PutRecordBatch are data calls too: CloudTrail does not log
 * them and no selector names them, so they are never recorded.
 */
public record EventClass(String eventSource, String service, boolean readOnly, boolean data, String resourceType) {
  private static final Map<String, Set<String>> DATA = Map.of(
      "sqs", Set.of("SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
          "ChangeMessageVisibility", "ChangeMessageVisibilityBatch"),
      "sns", Set.of("Publish", "PublishBatch"),
      "s3", Set.of("GetObject", "HeadObject", "PutObject", "PostObject", "CopyObject", "DeleteObject", "DeleteObjects",
          "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload",
          "ListParts", "GetObjectAcl", "PutObjectAcl", "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging",
          "RestoreObject", "GetObjectAttributes", "GetObjectRetention", "PutObjectRetention", "GetObjectLegalHold",
          "PutObjectLegalHold", "SelectObjectContent"),
      "lambda", Set.of("Invoke", "InvokeAsync", "InvokeWithResponseStream"),
      "events", Set.of("PutEvents"),
      "logs", Set.of("PutLogEvents", "GetLogEvents", "FilterLogEvents"),
      "kinesis", Set.of("PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "SubscribeToShard"),
      "firehose", Set.of("PutRecord", "PutRecordBatch"));
  /** The CloudFormation-style resource type of what a call of the service names. */
  private static final Map<String, String> RESOURCE_TYPES = Map.of(
      "sqs", "AWS::SQS::Queue", "sns", "AWS::SNS::Topic", "s3", "AWS::S3::Bucket", "lambda", "AWS::Lambda::Function",
      "events", "AWS::Events::Rule", "logs", "AWS::Logs::LogGroup", "iam", "AWS::IAM::Role", "cloudtrail",
      "AWS::CloudTrail::Trail", "kinesis", "AWS::Kinesis::Stream", "firehose", "AWS::KinesisFirehose::DeliveryStream");
  private static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Describe", "Head", "Lookup", "Test", "Receive",
      "Filter");

  /** @param signingName the service's SigV4 signing name ({@code sqs}, {@code s3}, {@code events}, ...) */
  public static EventClass of(String signingName, String operation) {
    boolean readOnly = false;
    for (String p : READ_PREFIXES) {
      if (operation.startsWith(p) && operation.length() > p.length() && Character.isUpperCase(operation.charAt(p.length()))) {
        readOnly = true;
        break;
      }
    }
    boolean data = DATA.getOrDefault(signingName, Set.of()).contains(operation);
    String type = RESOURCE_TYPES.get(signingName);
    if (signingName.equals("s3") && data) type = "AWS::S3::Object";
    if (signingName.equals("events") && (operation.contains("EventBus") || operation.equals("PutEvents"))) {
      type = "AWS::Events::EventBus";
    }
    return new EventClass(signingName + ".amazonaws.com", signingName, readOnly, data, type);
  }
}
