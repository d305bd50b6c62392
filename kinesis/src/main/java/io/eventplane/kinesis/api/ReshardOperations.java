package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.Reshards;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * SplitShard, MergeShards and UpdateShardCount. Each runs on the lane that owns the stream: it
 * checks the request against the definition as the lane holds it, applies the new shard list at
 * once (the next put of a moved hash key goes to a child) and answers when the definition is
 * durable. The stream is UPDATING for a moment afterwards ({@link Reshards#UPDATING_MILLIS}),
 * when another reshard is ResourceInUseException as on AWS.
 */
final class ReshardOperations {
  /** UpdateShardCount calls a stream may make in a rolling 24 hours (AWS's default). */
  static final int SCALINGS_PER_DAY = 10;
  static final long DAY_MILLIS = 86_400_000L;

  private final Streams streams;
  private final Clock clock;

  ReshardOperations(Streams streams, Clock clock) {
    this.streams = streams;
    this.clock = clock;
  }

  Future<JsonObject> split(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String shardId = shardId(in, "ShardToSplit", "shardToSplit");
    String key = in.string("NewStartingHashKey");
    in.required(key, "newStartingHashKey");
    in.pattern(key, "newStartingHashKey", Inputs.HASH_KEY_PATTERN);
    StreamRef ref = in.stream(request);
    Streams.Live live = reshardable(ref);
    long now = clock.millis();
    Shard shard = shard(live.stream(), ref, shardId);
    requireOpen(ref, shard);
    BigInteger hashKey = new BigInteger(key);
    if (hashKey.compareTo(shard.startingHashKey().add(BigInteger.ONE)) <= 0 || hashKey.compareTo(shard.endingHashKey()) >= 0) {
      throw KinesisErrors.invalidArgument("NewStartingHashKey " + key + " used in SplitShard() on shard " + shardId
          + " in stream " + ref.name() + " under account " + ref.account()
          + " is not both greater than one plus the shard's StartingHashKey " + shard.startingHashKey()
          + " and less than the shard's EndingHashKey " + shard.endingHashKey() + ".");
    }
    requireShardLimit(ref, live.stream().openShards() + 1, 1);
    Reshards.Change change = new Reshards.Change(live, now);
    change.split(shard, hashKey);
    return streams.update(live, change.result()).map(v -> new JsonObject());
  }

  Future<JsonObject> merge(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String first = shardId(in, "ShardToMerge", "shardToMerge");
    String second = shardId(in, "AdjacentShardToMerge", "adjacentShardToMerge");
    StreamRef ref = in.stream(request);
    Streams.Live live = reshardable(ref);
    Shard a = shard(live.stream(), ref, first);
    Shard b = shard(live.stream(), ref, second);
    requireOpen(ref, a);
    requireOpen(ref, b);
    if (a.index() == b.index() || !Reshards.adjacent(a, b)) {
      throw KinesisErrors.invalidArgument("Shards " + first + " and " + second + " in stream " + ref.name()
          + " under account " + ref.account() + " are not an adjacent pair of shards eligible for merging");
    }
    Reshards.Change change = new Reshards.Change(live, clock.millis());
    change.merge(a, b);
    return streams.update(live, change.result()).map(v -> new JsonObject());
  }

  Future<JsonObject> updateShardCount(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    Integer target = in.integer("TargetShardCount");
    String scaling = in.string("ScalingType");
    in.required(scaling, "scalingType");
    in.oneOf(scaling, "scalingType", List.of("UNIFORM_SCALING"));
    in.required(target, "targetShardCount");
    if (target != null && target < 1) in.add(Inputs.at(target, "targetShardCount") + "Member must have value greater than or equal to 1");
    StreamRef ref = in.stream(request);
    Stream before = reshardable(ref).stream();
    int open = (int) before.openShards();
    if (target > StreamOperations.SHARD_LIMIT) {
      throw KinesisErrors.limitExceeded("Target shard count or number of open shards cannot be greater than "
          + StreamOperations.SHARD_LIMIT + ". Current open shard count: " + open + ", Target shard count: " + target);
    }
    if (target > open * 2) {
      throw KinesisErrors.limitExceeded("UpdateShardCount cannot scale up over double your current open shard count. "
          + "Current open shard count: " + open + ", Target shard count: " + target);
    }
    if (target * 2 < open) {
      throw KinesisErrors.limitExceeded("UpdateShardCount cannot scale down below half your current open shard count. "
          + "Current open shard count: " + open + ", Target shard count: " + target);
    }
    // The scalings of the last day are read on a worker; the lane then checks again, since another
    // request may have resharded the stream meanwhile.
    return streams.blocking(() -> streams.store().scalings(before)).compose(times -> {
      Streams.Live live = reshardable(ref);
      if (live.stream().id() != before.id() || live.stream().openShards() != open) throw notActive(ref, "UPDATING");
      long now = clock.millis();
      List<Long> recent = new ArrayList<>();
      for (long t : times) if (t > now - DAY_MILLIS) recent.add(t);
      if (recent.size() >= SCALINGS_PER_DAY) {
        throw KinesisErrors.limitExceeded("UpdateShardCount cannot be called more than " + SCALINGS_PER_DAY
            + " times in a rolling 24-hour period for stream " + ref.name() + " under account " + ref.account() + ".");
      }
      JsonObject out = new JsonObject().put("StreamName", ref.name()).put("CurrentShardCount", open)
          .put("TargetShardCount", target).put("StreamARN", ref.arn());
      if (target == open) return Future.succeededFuture(out);
      Reshards.Change change = new Reshards.Change(live, now);
      Reshards.uniform(change, target);
      recent.add(now);
      Batch b = streams.store().batch();
      streams.store().putScalings(b, live.stream(), recent);
      return streams.update(live, change.result(), b).map(v -> out);
    });
  }

  /**
   * Drops from the partition's streams the closed shards whose records have all passed the
   * retention period, with whatever records of theirs are left, in one batch per stream.
   */
  Future<Void> expire(int partition) {
    Future<Void> all = Future.succeededFuture();
    for (Streams.Live live : streams.all(partition)) {
      all = all.compose(v -> {
        Stream current = live.stream();
        Stream kept = Reshards.listed(current, clock.millis());
        if (kept == current || streams.get(current.ref()) != live) return Future.succeededFuture();
        Batch b = streams.store().batch();
        for (Shard s : current.shards()) {
          if (kept.shard(s.index()) == null) streams.store().dropShard(b, partition, current.id(), s.index());
        }
        return streams.update(live, kept, b);
      });
    }
    return all;
  }

  /** The stream, if a reshard may start now: PROVISIONED and not UPDATING. */
  private Streams.Live reshardable(StreamRef ref) {
    Streams.Live live = streams.require(ref);
    Stream s = live.stream();
    if (s.mode().equals("ON_DEMAND")) {
      throw KinesisErrors.validation("Request is invalid. Stream " + ref.name() + " under account " + ref.account()
          + " is in On-Demand mode.");
    }
    String status = Reshards.status(s, clock.millis());
    if (!status.equals("ACTIVE")) throw notActive(ref, status);
    return live;
  }

  private static ServiceException notActive(StreamRef ref, String status) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "Stream " + ref.name() + " under account " + ref.account() + " not ACTIVE, instead in state " + status));
  }

  /** A required ShardId member, its violations collected into {@code in}. */
  private static String shardId(Inputs in, String member, String path) {
    String shardId = in.string(member);
    in.required(shardId, path);
    in.length(shardId, path, 1, 128);
    in.pattern(shardId, path, Inputs.NAME_PATTERN);
    return shardId;
  }

  /** A shard of the stream as listings show it (an expired shard is not found). */
  private Shard shard(Stream s, StreamRef ref, String shardId) {
    int index = Shard.indexOf(shardId);
    Shard shard = index < 0 ? null : Reshards.listed(s, clock.millis()).shard(index);
    if (shard == null) {
      throw new ServiceException(ServiceError.sender("ResourceNotFoundException",
          "Could not find shard " + shardId + " in stream " + ref.name() + " under account " + ref.account() + "."));
    }
    return shard;
  }

  private static void requireOpen(StreamRef ref, Shard shard) {
    if (!shard.open()) {
      throw KinesisErrors.invalidArgument("Shard " + shard.id() + " in stream " + ref.name() + " under account "
          + ref.account() + " has already been merged or split, and thus is not eligible for merging or splitting.");
    }
  }

  private static void requireShardLimit(StreamRef ref, long after, int added) {
    if (after > StreamOperations.SHARD_LIMIT) {
      throw KinesisErrors.limitExceeded("This request would exceed the shard limit for the account " + ref.account()
          + " in " + ref.region() + ". Current shard count for the account: " + (after - added) + ". Limit: "
          + StreamOperations.SHARD_LIMIT + ". Number of additional shards that would have resulted from this request: "
          + added + ". Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html)"
          + " for current limits and how to request higher limits.");
    }
  }
}
