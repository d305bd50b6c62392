package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.kinesis.domain.Consumers;
import io.eventplane.kinesis.domain.ShardThroughput;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Kinesis's operation table: each operation to its handler, run on the lane that owns the stream's
 * partition; ListStreams and DescribeLimits gather every lane's {@link #LANE_STREAMS} share.
 */
public final class KinesisApi {
  /** A lane's streams of {@code Account} and {@code Region}: {@code Streams} [summary + OpenShards]. */
  public static final String LANE_STREAMS = "eventplane:LaneStreams";

  private final StreamOperations streamOps;
  private final RecordOperations records;
  private final TagOperations tags;
  private final ConsumerOperations consumerOps;
  private final FanOut fanOut;
  private final ReshardOperations reshards;

  public KinesisApi(Streams streams, Consumers consumers, Clock clock, ShardThroughput throughput) {
    this.streamOps = new StreamOperations(streams, clock);
    this.records = new RecordOperations(streams, clock, throughput);
    this.tags = new TagOperations(streams);
    this.consumerOps = new ConsumerOperations(streams, consumers, clock);
    this.fanOut = new FanOut(streams, consumers, clock);
    this.reshards = new ReshardOperations(streams, clock);
  }

  /** Runs an operation whose stream's partition this lane owns. */
  public Future<JsonObject> handle(ApiRequest request) {
    try {
      return switch (request.operation()) {
        case "CreateStream" -> streamOps.create(request);
        case "DeleteStream" -> consumerOps.beforeDelete(request).compose(v -> streamOps.delete(request));
        case "DescribeStream" -> streamOps.describe(request);
        case "DescribeStreamSummary" -> streamOps.summary(request).map(consumerOps::withCount);
        case "ListShards" -> streamOps.listShards(request);
        case "IncreaseStreamRetentionPeriod" -> streamOps.increaseRetention(request);
        case "DecreaseStreamRetentionPeriod" -> streamOps.decreaseRetention(request);
        case "UpdateStreamMode" -> streamOps.updateMode(request);
        case "StartStreamEncryption" -> streamOps.encryption(request, true);
        case "StopStreamEncryption" -> streamOps.encryption(request, false);
        case "EnableEnhancedMonitoring" -> streamOps.monitoring(request, true);
        case "DisableEnhancedMonitoring" -> streamOps.monitoring(request, false);
        case "AddTagsToStream" -> tags.add(request);
        case "RemoveTagsFromStream" -> tags.remove(request);
        case "ListTagsForStream" -> tags.listForStream(request);
        case "TagResource" -> tags.tagResource(request);
        case "UntagResource" -> tags.untagResource(request);
        case "ListTagsForResource" -> tags.listForResource(request);
        case "SplitShard" -> reshards.split(request);
        case "MergeShards" -> reshards.merge(request);
        case "UpdateShardCount" -> reshards.updateShardCount(request);
        case "PutRecord" -> records.put(request);
        case "PutRecords" -> records.putRecords(request);
        case "GetShardIterator" -> records.shardIterator(request);
        case "GetRecords" -> records.getRecords(request);
        case "RegisterStreamConsumer" -> consumerOps.register(request);
        case "DescribeStreamConsumer" -> consumerOps.describe(request);
        case "ListStreamConsumers" -> consumerOps.list(request);
        case "DeregisterStreamConsumer" -> consumerOps.deregister(request);
        case "SubscribeToShard" -> fanOut.subscribe(request);
        case FanOut.EVENTS -> fanOut.events(request);
        case LANE_STREAMS -> Future.succeededFuture(streamOps.laneShare(request));
        default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction",
            "The action " + request.operation() + " is not valid for this endpoint.")));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** Deletes the records of the partition's streams that outlived their retention. */
  public Future<Void> sweep(int partition) {
    return records.sweep(partition).compose(v -> reshards.expire(partition));
  }

  /** Checks ListStreams' input before every lane is asked. */
  public static void checkListStreams(ApiRequest request) {
    StreamOperations.checkList(request);
  }

  /** ListStreams from every lane's {@link #LANE_STREAMS} share. */
  public static JsonObject listStreams(ApiRequest request, List<JsonObject> shares) {
    return StreamOperations.list(request, shares);
  }

  /** DescribeLimits from every lane's {@link #LANE_STREAMS} share. */
  public static JsonObject describeLimits(List<JsonObject> shares) {
    return StreamOperations.limits(shares);
  }
}
