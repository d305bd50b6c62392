package io.eventplane.gateway.kinesis;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import java.util.Map;
import java.util.Set;

/**
 * Kinesis Data Streams over AWS JSON 1.1 ({@code X-Amz-Target: Kinesis_20131202.<Operation>},
 * signing name {@code kinesis}). Errors are {@code {"__type": code, "message": ...}}, client errors
 * with 400. (The SDK v2's default, CBOR, is translated to this by the gateway.) SubscribeToShard
 * answers with an event stream ({@code http/SubscribeToShardRoute}).
 */
public final class KinesisJsonProtocol {
  public static final String TARGET_PREFIX = "Kinesis_20131202.";
  private static final Set<String> OPERATIONS = Set.of("CreateStream", "DeleteStream", "DescribeStream",
      "DescribeStreamSummary", "ListStreams", "ListShards", "PutRecord", "PutRecords", "GetShardIterator", "GetRecords",
      "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod", "UpdateStreamMode", "StartStreamEncryption",
      "StopStreamEncryption", "AddTagsToStream", "RemoveTagsFromStream", "ListTagsForStream", "TagResource",
      "UntagResource", "ListTagsForResource", "DescribeLimits", "EnableEnhancedMonitoring", "DisableEnhancedMonitoring",
      "RegisterStreamConsumer", "DescribeStreamConsumer", "ListStreamConsumers", "DeregisterStreamConsumer",
      "SubscribeToShard", "SplitShard", "MergeShards", "UpdateShardCount");
  /** Codes the gateway and common layers raise, in the names Kinesis's model has. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .renamed("InvalidAction", 400, "UnknownOperationException")
      .renamed("InternalFailure", 500, "InternalFailureException")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailableException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .build();
  public static final JsonBinding BINDING = new JsonBinding("kinesis", TARGET_PREFIX, Contracts.KINESIS, OPERATIONS,
      WireResponse.JSON_1_1, ERRORS, false, Map.of()).withCbor(KinesisCbor.MEMBERS);

  private KinesisJsonProtocol() {}
}
