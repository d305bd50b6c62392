package io.eventplane.kinesis.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stream's definition, as stored under its name: everything but its records and its shards'
 * next positions. Immutable; a change is a new value written whole.
 *
 * @param id the incarnation: a stream deleted and created again under its name gets a new one, so
 *     that neither its records nor its iterators and sequence numbers mix with the old one's
 * @param mode PROVISIONED or ON_DEMAND
 * @param encryptionType NONE or KMS, with {@code keyId} when KMS
 * @param shards every shard it ever had that is not yet gone, open and closed, by index
 */
public record Stream(StreamRef ref, long id, long createdMillis, int retentionHours, String mode, String encryptionType,
    String keyId, Map<String, String> tags, Set<String> metrics, List<Shard> shards) {
  public static final int DEFAULT_RETENTION_HOURS = 24;
  public static final int MAX_RETENTION_HOURS = 8760;
  public static final int ON_DEMAND_SHARDS = 4;

  public Stream {
    tags = new TreeMap<>(tags);
    metrics = new TreeSet<>(metrics);
    shards = List.copyOf(shards);
  }

  /** A new stream of {@code count} open shards splitting the hash-key space evenly. */
  public static Stream create(StreamRef ref, long id, long now, String mode, int count, Map<String, String> tags) {
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      shards.add(new Shard(i, null, null, HashKeys.start(i, count), HashKeys.end(i, count), 0, null, now, null));
    }
    return new Stream(ref, id, now, DEFAULT_RETENTION_HOURS, mode, "NONE", null, tags, Set.of(), shards);
  }

  public Shard shard(int index) {
    for (Shard s : shards) if (s.index() == index) return s;
    return null;
  }

  /** The open shard whose hash-key range holds the key. */
  public Shard shardFor(java.math.BigInteger hashKey) {
    for (Shard s : shards) if (s.open() && s.holds(hashKey)) return s;
    throw new IllegalStateException("no open shard of " + ref.name() + " holds " + hashKey);
  }

  public long openShards() {
    return shards.stream().filter(Shard::open).count();
  }

  public long retentionMillis() {
    return retentionHours * 3_600_000L;
  }

  public Stream withRetention(int hours) {
    return new Stream(ref, id, createdMillis, hours, mode, encryptionType, keyId, tags, metrics, shards);
  }

  public Stream withMode(String m) {
    return new Stream(ref, id, createdMillis, retentionHours, m, encryptionType, keyId, tags, metrics, shards);
  }

  public Stream withEncryption(String type, String key) {
    return new Stream(ref, id, createdMillis, retentionHours, mode, type, key, tags, metrics, shards);
  }

  public Stream withTags(Map<String, String> t) {
    return new Stream(ref, id, createdMillis, retentionHours, mode, encryptionType, keyId, t, metrics, shards);
  }

  public Stream withMetrics(Set<String> m) {
    return new Stream(ref, id, createdMillis, retentionHours, mode, encryptionType, keyId, tags, m, shards);
  }

  public Stream withShards(List<Shard> s) {
    return new Stream(ref, id, createdMillis, retentionHours, mode, encryptionType, keyId, tags, metrics, s);
  }

  public JsonObject toJson() {
    JsonArray shardArray = new JsonArray();
    for (Shard s : shards) shardArray.add(s.toJson());
    JsonObject j = new JsonObject().put("Account", ref.account()).put("Region", ref.region()).put("Name", ref.name())
        .put("Id", id).put("Created", createdMillis).put("Retention", retentionHours).put("Mode", mode)
        .put("Encryption", encryptionType).put("Tags", new JsonObject(new TreeMap<String, Object>(tags)))
        .put("Metrics", new JsonArray(new ArrayList<>(metrics))).put("Shards", shardArray);
    if (keyId != null) j.put("KeyId", keyId);
    return j;
  }

  public static Stream fromJson(JsonObject j) {
    Map<String, String> tags = new TreeMap<>();
    j.getJsonObject("Tags").forEach(e -> tags.put(e.getKey(), (String) e.getValue()));
    Set<String> metrics = new TreeSet<>();
    j.getJsonArray("Metrics").forEach(m -> metrics.add((String) m));
    List<Shard> shards = new ArrayList<>();
    j.getJsonArray("Shards").forEach(s -> shards.add(Shard.fromJson((JsonObject) s)));
    return new Stream(new StreamRef(j.getString("Account"), j.getString("Region"), j.getString("Name")), j.getLong("Id"),
        j.getLong("Created"), j.getInteger("Retention"), j.getString("Mode"), j.getString("Encryption"),
        j.getString("KeyId"), tags, metrics, shards);
  }
}
