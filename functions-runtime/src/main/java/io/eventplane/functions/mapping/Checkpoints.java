package io.eventplane.functions.mapping;

import io.eventplane.common.store.Batch;
import io.eventplane.functions.store.FunctionStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * A stream mapping's durable place in each shard, in the mapping's partition (so it replicates and
 * fails over with the mapping). A value is {@code S<sequence>} (processed through that record),
 * {@code T<epochMillis>} (nothing processed yet: start at that arrival time; LATEST and AT_TIMESTAMP
 * are pinned this way when the mapping first starts), or {@value #ENDED} (a closed shard read to
 * its end). The shard id {@value #INITIALIZED_KEY} marks that the mapping's first start is done,
 * so a shard with no checkpoint afterwards is one that appeared later and is read from its start.
 * With a tumbling window, {@code W/<shardId>} holds the shard's open window and its state (see
 * {@link TumblingWindow}; empty when none is open), written in the same batch as the sequence
 * checkpoint, so a restart continues the window from the state of the last batch it acknowledged.
 * Written on the lane's context, one shard's writes in order.
 */
final class Checkpoints {
  static final String ENDED = "E";
  static final String INITIALIZED_KEY = "";

  private final Vertx vertx;
  private final Context context;
  private final FunctionStore store;
  private final int partition;
  private final String uuid;
  private final Map<String, String> values = new HashMap<>();

  Checkpoints(Vertx vertx, Context context, FunctionStore store, int partition, String uuid) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.partition = partition;
    this.uuid = uuid;
  }

  Future<Void> load() {
    return vertx.executeBlocking(() -> store.loadCheckpoints(partition, uuid)).map(loaded -> {
      values.putAll(loaded);
      return null;
    });
  }

  boolean initialized() {
    return values.containsKey(INITIALIZED_KEY);
  }

  String get(String shardId) {
    return values.get(shardId);
  }

  boolean ended(String shardId) {
    return ENDED.equals(values.get(shardId));
  }

  Future<Void> processed(String shardId, String sequenceNumber) {
    return save(Map.of(shardId, "S" + sequenceNumber));
  }

  /** Processed through {@code sequenceNumber}, with the shard's open window (null for none) in the same batch. */
  Future<Void> processed(String shardId, String sequenceNumber, TumblingWindow window) {
    Map<String, String> both = new HashMap<>();
    both.put(shardId, "S" + sequenceNumber);
    both.put(windowKey(shardId), window == null ? "" : window.toJson());
    return save(both);
  }

  /** The shard's open window as last saved, or null. */
  TumblingWindow window(String shardId) {
    return TumblingWindow.fromJson(values.get(windowKey(shardId)));
  }

  /** Saves the shard's open window alone (null: the window was closed). */
  Future<Void> window(String shardId, TumblingWindow window) {
    return save(Map.of(windowKey(shardId), window == null ? "" : window.toJson()));
  }

  private static String windowKey(String shardId) {
    return "W/" + shardId;
  }

  Future<Void> end(String shardId) {
    return save(Map.of(shardId, ENDED));
  }

  /** Writes several shards' checkpoints in one batch. */
  Future<Void> save(Map<String, String> checkpoints) {
    Batch b = store.batch();
    checkpoints.forEach((shard, value) -> store.putCheckpoint(b, partition, uuid, shard, value));
    return store.commit(partition, b, context).map(v -> {
      values.putAll(checkpoints);
      return null;
    });
  }

  /** Deletes every checkpoint of a mapping (with the mapping). */
  static void delete(FunctionStore store, Batch b, int partition, String uuid) {
    store.deleteCheckpoints(b, partition, uuid);
  }
}
