package io.eventplane.gateway.authz;

import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon Kinesis Data Streams": streams are
 * {@code arn:aws:kinesis:region:account:stream/name} (StreamName or StreamARN), consumers
 * {@code .../stream/name/consumer/cname:timestamp} (ConsumerARN); ListStreams and DescribeLimits
 * have no resource.
 */
final class KinesisActions {
  private KinesisActions() {}

  static final ServiceActions TABLE = ActionTable.builder("kinesis")
      .same(KinesisActions::stream, "CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary",
          "ListShards", "PutRecord", "PutRecords", "GetShardIterator", "IncreaseStreamRetentionPeriod",
          "DecreaseStreamRetentionPeriod", "UpdateStreamMode", "StartStreamEncryption", "StopStreamEncryption",
          "AddTagsToStream", "RemoveTagsFromStream", "ListTagsForStream", "EnableEnhancedMonitoring",
          "DisableEnhancedMonitoring", "RegisterStreamConsumer", "ListStreamConsumers", "SplitShard", "MergeShards",
          "UpdateShardCount")
      // GetRecords names only its iterator, which carries the stream (the stream's name is in StreamARN when sent).
      .same(KinesisActions::stream, "GetRecords")
      .same((c, a) -> consumer(c, a), "DescribeStreamConsumer", "DeregisterStreamConsumer", "SubscribeToShard")
      .same((c, a) -> c.string("ResourceARN") != null ? c.string("ResourceARN") : a.of("kinesis", "stream/*"),
          "TagResource", "UntagResource", "ListTagsForResource")
      .anyResource("ListStreams", "DescribeLimits")
      .build();

  static String stream(ApiCall c, Arns a) {
    String arn = c.string("StreamARN");
    if (arn != null) return arn;
    String name = c.string("StreamName");
    return a.of("kinesis", "stream/" + (name != null ? name : "*"));
  }

  /** The consumer's ARN, or the stream's ARN with {@code /consumer/name:*} when it is named by stream and name. */
  static String consumer(ApiCall c, Arns a) {
    String arn = c.string("ConsumerARN");
    if (arn != null) return arn;
    String name = c.string("ConsumerName");
    return stream(c, a) + "/consumer/" + (name != null ? name : "*") + ":*";
  }
}
