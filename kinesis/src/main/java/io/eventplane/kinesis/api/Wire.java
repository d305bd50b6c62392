package io.eventplane.kinesis.api;

import io.eventplane.kinesis.domain.SequenceNumbers;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.Stream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;

/** Kinesis's output shapes, as AWS JSON 1.1 has them (timestamps in epoch seconds). */
final class Wire {
  private Wire() {}

  static double seconds(long millis) {
    return millis / 1000.0;
  }

  static JsonObject mode(Stream s) {
    return new JsonObject().put("StreamMode", s.mode());
  }

  static JsonArray monitoring(Stream s) {
    return new JsonArray().add(new JsonObject().put("ShardLevelMetrics", new JsonArray(new ArrayList<>(s.metrics()))));
  }

  static JsonObject shard(Stream s, Shard shard) {
    JsonObject range = new JsonObject().put("StartingSequenceNumber",
        SequenceNumbers.of(s.id(), shard.index(), shard.startingPosition()));
    if (shard.endingPosition() != null) {
      // A shard closed before it held a record ends where it starts.
      long end = Math.max(shard.endingPosition(), shard.startingPosition());
      range.put("EndingSequenceNumber", SequenceNumbers.of(s.id(), shard.index(), end));
    }
    JsonObject out = new JsonObject().put("ShardId", shard.id());
    if (shard.parent() != null) out.put("ParentShardId", Shard.id(shard.parent()));
    if (shard.adjacentParent() != null) out.put("AdjacentParentShardId", Shard.id(shard.adjacentParent()));
    return out.put("HashKeyRange", new JsonObject().put("StartingHashKey", shard.startingHashKey().toString())
            .put("EndingHashKey", shard.endingHashKey().toString()))
        .put("SequenceNumberRange", range);
  }

  /** DescribeStream's description: the shards after {@code after} (an index, or -1), at most {@code limit}. */
  static JsonObject description(Stream s, int after, int limit) {
    JsonArray shards = new JsonArray();
    boolean more = false;
    for (Shard shard : s.shards()) {
      if (shard.index() <= after) continue;
      if (shards.size() == limit) {
        more = true;
        break;
      }
      shards.add(shard(s, shard));
    }
    JsonObject d = new JsonObject().put("StreamName", s.ref().name()).put("StreamARN", s.ref().arn())
        .put("StreamStatus", "ACTIVE").put("StreamModeDetails", mode(s)).put("Shards", shards).put("HasMoreShards", more)
        .put("RetentionPeriodHours", s.retentionHours()).put("StreamCreationTimestamp", seconds(s.createdMillis()))
        .put("EnhancedMonitoring", monitoring(s)).put("EncryptionType", s.encryptionType());
    if (s.keyId() != null) d.put("KeyId", s.keyId());
    return d;
  }

  static JsonObject summary(Stream s) {
    JsonObject d = new JsonObject().put("StreamName", s.ref().name()).put("StreamARN", s.ref().arn())
        .put("StreamStatus", "ACTIVE").put("StreamModeDetails", mode(s)).put("RetentionPeriodHours", s.retentionHours())
        .put("StreamCreationTimestamp", seconds(s.createdMillis())).put("EnhancedMonitoring", monitoring(s))
        .put("EncryptionType", s.encryptionType());
    if (s.keyId() != null) d.put("KeyId", s.keyId());
    return d.put("OpenShardCount", s.openShards()).put("ConsumerCount", 0);
  }

  /** ListStreams' StreamSummaries entry. */
  static JsonObject listEntry(Stream s) {
    return new JsonObject().put("StreamName", s.ref().name()).put("StreamARN", s.ref().arn()).put("StreamStatus", "ACTIVE")
        .put("StreamModeDetails", mode(s)).put("StreamCreationTimestamp", seconds(s.createdMillis()));
  }

  static JsonObject tags(Iterable<java.util.Map.Entry<String, String>> tags) {
    JsonArray out = new JsonArray();
    for (var e : tags) out.add(new JsonObject().put("Key", e.getKey()).put("Value", e.getValue()));
    return new JsonObject().put("Tags", out);
  }

  /** An opaque paging token of parts (none of which holds a NUL). */
  static String token(String... parts) {
    return Base64.getEncoder().encodeToString(String.join("\0", parts).getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a token, or null when it is not one of {@code n} parts. */
  static List<String> untoken(String token, int n) {
    try {
      String[] parts = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split("\0", -1);
      return parts.length == n ? List.of(parts) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
