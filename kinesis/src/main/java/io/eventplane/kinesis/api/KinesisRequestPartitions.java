package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.kinesis.domain.Consumer;
import io.eventplane.kinesis.domain.ShardIterator;
import io.eventplane.kinesis.domain.StreamRef;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The partition a Kinesis request is about: its stream's, named by {@code StreamARN} (whose account
 * and region apply), {@code ConsumerARN} (its stream's), {@code StreamName}, {@code ResourceARN}, the {@code ShardIterator} of
 * GetRecords or the {@code NextToken} of ListShards. {@link PartitionRouter#ANY} for ListStreams,
 * DescribeLimits and requests so malformed that any node answers the error. Cheap, thread-safe,
 * never throws.
 */
public final class KinesisRequestPartitions {
  private KinesisRequestPartitions() {}

  public static int of(ApiRequest request) {
    JsonObject in = request.input();
    switch (request.operation()) {
      case "ListStreams", "DescribeLimits" -> {
        return PartitionRouter.ANY;
      }
      case "GetRecords" -> {
        ShardIterator it = in.getValue("ShardIterator") instanceof String s ? ShardIterator.decode(s) : null;
        return it == null ? PartitionRouter.ANY : it.stream().partition();
      }
      case "TagResource", "UntagResource", "ListTagsForResource" -> {
        StreamRef ref = in.getValue("ResourceARN") instanceof String s ? StreamRef.fromArn(s) : null;
        return ref == null ? PartitionRouter.ANY : ref.partition();
      }
      case "ListShards" -> {
        if (in.getValue("NextToken") instanceof String token && in.getValue("StreamName") == null
            && in.getValue("StreamARN") == null) {
          List<String> parts = Wire.untoken(token, 5);
          return parts == null ? PartitionRouter.ANY : new StreamRef(parts.get(0), parts.get(1), parts.get(2)).partition();
        }
        return byStream(request);
      }
      case FanOut.EVENTS -> {
        return byStream(request);
      }
      default -> {
        if (request.operation().startsWith("eventplane:") || request.operation().equals("Reset")) return PartitionRouter.ANY;
        return byStream(request);
      }
    }
  }

  private static int byStream(ApiRequest request) {
    JsonObject in = request.input();
    if (in.getValue("StreamARN") instanceof String arn) {
      StreamRef ref = StreamRef.fromArn(arn);
      return ref == null ? PartitionRouter.ANY : ref.partition();
    }
    if (in.getValue("ConsumerARN") instanceof String arn) {
      Consumer.ConsumerArn ref = Consumer.ConsumerArn.parse(arn);
      return ref == null ? PartitionRouter.ANY : ref.stream().partition();
    }
    return in.getValue("StreamName") instanceof String name
        ? new StreamRef(request.context().accountId(), request.context().region(), name).partition()
        : PartitionRouter.ANY;
  }
}
