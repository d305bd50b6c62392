package io.eventplane.kinesis.api;

import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.Stream;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * ListShards' ShardFilter: which shards of a stream, open or closed, a caller asks for. Times are
 * millis; the trim horizon is the oldest time a record may still be read at (never before the
 * stream was created).
 */
record ShardFilter(String type, String afterShard, Long timestamp) {
  static final List<String> TYPES = List.of("AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST",
      "AT_TIMESTAMP", "FROM_TIMESTAMP");

  /** The filter of a ListShards input (none: every shard), checked. */
  static ShardFilter of(JsonObject filter) {
    if (filter == null) return new ShardFilter(null, null, null);
    Inputs in = new Inputs(filter);
    String type = in.string("Type");
    String shardId = in.string("ShardId");
    Long timestamp = in.timestamp("Timestamp");
    in.required(type, "shardFilter.type");
    in.oneOf(type, "shardFilter.type", TYPES);
    in.length(shardId, "shardFilter.shardId", 1, 128);
    in.pattern(shardId, "shardFilter.shardId", Inputs.NAME_PATTERN);
    in.check();
    boolean byShard = type.equals("AFTER_SHARD_ID");
    boolean byTime = type.equals("AT_TIMESTAMP") || type.equals("FROM_TIMESTAMP");
    if (byShard && shardId == null) {
      throw KinesisErrors.invalidArgument("Must specify ShardId in ShardFilter when Type is AFTER_SHARD_ID.");
    }
    if (!byShard && shardId != null) {
      throw KinesisErrors.invalidArgument("ShardId in ShardFilter can only be given when Type is AFTER_SHARD_ID.");
    }
    if (byTime && timestamp == null) {
      throw KinesisErrors.invalidArgument("Must specify Timestamp in ShardFilter when Type is " + type + ".");
    }
    if (!byTime && timestamp != null) {
      throw KinesisErrors.invalidArgument("Timestamp in ShardFilter can only be given when Type is AT_TIMESTAMP or FROM_TIMESTAMP.");
    }
    return new ShardFilter(type, shardId, timestamp);
  }

  boolean selects(Stream s, Shard shard, long now) {
    if (type == null) return true;
    long horizon = Math.max(now - s.retentionMillis(), s.createdMillis());
    return switch (type) {
      case "AT_LATEST" -> shard.open();
      case "AT_TRIM_HORIZON" -> openAt(shard, horizon, s);
      case "AT_TIMESTAMP" -> openAt(shard, Math.max(timestamp, s.createdMillis()), s);
      case "FROM_TIMESTAMP" -> shard.closedMillis() == null || shard.closedMillis() > timestamp;
      default -> true;
    };
  }

  private static boolean openAt(Shard shard, long time, Stream s) {
    boolean opened = shard.createdMillis() <= time || shard.parent() == null && shard.createdMillis() <= s.createdMillis();
    return opened && (shard.closedMillis() == null || shard.closedMillis() > time);
  }
}
