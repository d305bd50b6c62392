package io.eventplane.gateway.authz;

import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon Kinesis Data Streams": streams are
 * {@code arn:aws:kinesis:region:account:stream/name} (StreamName or StreamARN), consumers
 * {@code .../stream/name/consumer/cname:timestamp} (ConsumerARN); ListStreams, DescribeLimits,
 * Enable/DisableEnhancedMonitoring, UpdateShardCount and UpdateStreamMode have no resource type.
 */
final class KinesisActions {
  private KinesisActions() {}

  static final ServiceActions TABLE = ActionTable.builder("kinesis")
      .same(KinesisActions::stream, "CreateStream", "DeleteStream", "DescribeStream", "DescribeStreamSummary",
          "ListShards", "PutRecord", "PutRecords", "GetShardIterator", "IncreaseStreamRetentionPeriod",
          "DecreaseStreamRetentionPeriod", "AddTagsToStream",
          "RemoveTagsFromStream", "ListTagsForStream", "RegisterStreamConsumer", "ListStreamConsumers", "SplitShard",
          "MergeShards")
      // GetRecords names only its iterator (and StreamARN when the client sends it): the iterator carries the stream.
      .same((c, a) -> {
        String fromIterator = streamOfIterator(c.string("ShardIterator"));
        return c.string("StreamARN") == null && fromIterator != null ? fromIterator : stream(c, a);
      }, "GetRecords")
      .same((c, a) -> consumer(c, a), "DescribeStreamConsumer", "DeregisterStreamConsumer", "SubscribeToShard")
      .same((c, a) -> c.string("ResourceARN") != null ? c.string("ResourceARN") : a.of("kinesis", "stream/*"),
          "TagResource", "UntagResource", "ListTagsForResource")
      .rule("StartStreamEncryption", (c, a) -> encryption("kinesis:StartStreamEncryption", c, a))
      .rule("StopStreamEncryption", (c, a) -> encryption("kinesis:StopStreamEncryption", c, a))
      .anyResource("ListStreams", "DescribeLimits", "EnableEnhancedMonitoring", "DisableEnhancedMonitoring",
          "UpdateShardCount", "UpdateStreamMode")
      .build();

  /**
   * Stream encryption needs the action on the stream and on the KMS key (KeyId: a key id or key ARN;
   * an alias names no key the gateway can resolve, so only the stream is checked then).
   */
  private static List<Target> encryption(String action, ApiCall c, Arns a) {
    String key = c.string("KeyId");
    if (key == null || key.startsWith("alias/") || key.contains(":alias/")) return List.of(Target.of(action, stream(c, a)));
    String keyArn = key.startsWith("arn:") ? key : a.of("kms", "key/" + key);
    return List.of(Target.of(action, stream(c, a)), Target.of(action, keyArn));
  }

  static String stream(ApiCall c, Arns a) {
    String arn = c.string("StreamARN");
    if (arn != null) return arn;
    String name = c.string("StreamName");
    return a.of("kinesis", "stream/" + (name != null ? name : "*"));
  }

  /**
   * The ARN of the stream a shard iterator was issued for, or null. The iterator is the kinesis
   * module's {@code ShardIterator}: base64 of version 1, stream id (8), shard (4), position (8),
   * creation time (8), then account, region and name, each one length byte and UTF-8.
   */
  static String streamOfIterator(String iterator) {
    if (iterator == null) return null;
    try {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(iterator));
      if (b.get() != 1) return null;
      b.position(b.position() + 8 + 4 + 8 + 8);
      String account = text(b);
      String region = text(b);
      String name = text(b);
      if (b.hasRemaining() || name.isEmpty()) return null;
      return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      return null;
    }
  }

  private static String text(java.nio.ByteBuffer b) {
    byte[] s = new byte[b.get() & 0xFF];
    b.get(s);
    return new String(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The consumer's ARN, or the stream's ARN with {@code /consumer/name:*} when it is named by stream and name. */
  static String consumer(ApiCall c, Arns a) {
    String arn = c.string("ConsumerARN");
    if (arn != null) return arn;
    String name = c.string("ConsumerName");
    return stream(c, a) + "/consumer/" + (name != null ? name : "*") + ":*";
  }
}
