package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The recent placement changes this node has applied, newest first, for the console's cluster page:
 * each partition's first placement seen here ({@code placed}), an owner replaced while it was still a
 * live member ({@code handover}) or after it left ({@code failover}), and a change of replicas alone
 * ({@code replicas}). Bounded ({@link #CAPACITY}), in memory, per node: the placement table keeps
 * only each partition's latest entry, so this is the only history there is, and it starts again
 * empty at the node's start. Times are the node's wall clock.
 */
final class PlacementChanges {
  static final int CAPACITY = 200;
  private final ArrayDeque<JsonObject> changes = new ArrayDeque<>();

  /** Records {@code after} replacing {@code before} (null: first seen), {@code live} the members live when it was applied. */
  void applied(PlacementEntry before, PlacementEntry after, List<String> live, long nowMillis) {
    String kind;
    if (before == null) kind = "placed";
    else if (!before.owner().equals(after.owner())) kind = live.contains(before.owner()) ? "handover" : "failover";
    else if (!before.replicas().equals(after.replicas())) kind = "replicas";
    else return;
    JsonObject change = new JsonObject().put("time", nowMillis).put("partition", after.partition()).put("epoch", after.epoch())
        .put("kind", kind).put("owner", after.owner()).put("replicas", new JsonArray(List.copyOf(after.replicas())));
    if (before != null) change.put("previousOwner", before.owner());
    synchronized (changes) {
      changes.addFirst(change);
      while (changes.size() > CAPACITY) changes.removeLast();
    }
  }

  /** Up to {@code max} changes, newest first; {@code placed} ones left out when {@code withPlacements} is false. */
  JsonArray recent(int max, boolean withPlacements) {
    JsonArray out = new JsonArray();
    synchronized (changes) {
      for (Iterator<JsonObject> it = changes.iterator(); it.hasNext() && out.size() < max; ) {
        JsonObject c = it.next();
        if (withPlacements || !"placed".equals(c.getString("kind"))) out.add(c.copy());
      }
    }
    return out;
  }
}
