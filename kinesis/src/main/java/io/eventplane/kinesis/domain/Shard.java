package io.eventplane.kinesis.domain;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/**
 * A shard of a stream as stored in its definition. Open shards have no {@code endingPosition};
 * a shard closed by resharding keeps its records readable until they age out, ends at
 * {@code endingPosition} (its last position) and names its children through their parents.
 *
 * @param index the number in its id ({@code shardId-000000000007})
 * @param parent the index of the shard it was split or merged from, or null
 * @param adjacentParent the other parent of a merge, or null
 * @param startingPosition its first position (its StartingSequenceNumber's)
 * @param endingPosition its last position once closed, else null
 * @param createdMillis when it opened
 * @param closedMillis when it closed, else null
 */
public record Shard(int index, Integer parent, Integer adjacentParent, BigInteger startingHashKey,
    BigInteger endingHashKey, long startingPosition, Long endingPosition, long createdMillis, Long closedMillis) {

  public static String id(int index) {
    return String.format("shardId-%012d", index);
  }

  /** The index in a shard id, or -1 when it is not one. */
  public static int indexOf(String shardId) {
    if (shardId == null || !shardId.matches("shardId-\\d{12}")) return -1;
    long n = Long.parseLong(shardId.substring(8));
    return n > Integer.MAX_VALUE ? -1 : (int) n;
  }

  public String id() {
    return id(index);
  }

  public boolean open() {
    return endingPosition == null;
  }

  public boolean holds(BigInteger hashKey) {
    return hashKey.compareTo(startingHashKey) >= 0 && hashKey.compareTo(endingHashKey) <= 0;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("Index", index).put("Start", startingHashKey.toString())
        .put("End", endingHashKey.toString()).put("StartPos", startingPosition).put("Created", createdMillis);
    if (parent != null) j.put("Parent", parent);
    if (adjacentParent != null) j.put("AdjacentParent", adjacentParent);
    if (endingPosition != null) j.put("EndPos", endingPosition);
    if (closedMillis != null) j.put("Closed", closedMillis);
    return j;
  }

  public static Shard fromJson(JsonObject j) {
    return new Shard(j.getInteger("Index"), j.getInteger("Parent"), j.getInteger("AdjacentParent"),
        new BigInteger(j.getString("Start")), new BigInteger(j.getString("End")), j.getLong("StartPos"),
        j.getLong("EndPos"), j.getLong("Created"), j.getLong("Closed"));
  }
}
