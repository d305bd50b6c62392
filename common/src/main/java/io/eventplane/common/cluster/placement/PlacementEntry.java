package io.eventplane.common.cluster.placement;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the placement table: which node owns a partition and which nodes replicate it, at an
 * epoch. Every change of owner or replicas takes a new, higher epoch; replicas refuse writes from
 * an older epoch, which is what fences a deposed owner.
 */
public record PlacementEntry(int partition, long epoch, String owner, List<String> replicas) {
  public PlacementEntry {
    replicas = List.copyOf(replicas);
  }

  public boolean involves(String node) {
    return owner.equals(node) || replicas.contains(node);
  }

  public String toJson() {
    return new JsonObject().put("p", partition).put("epoch", epoch).put("owner", owner)
        .put("replicas", new JsonArray(new ArrayList<>(replicas))).encode();
  }

  public static PlacementEntry fromJson(String json) {
    JsonObject j = new JsonObject(json);
    List<String> replicas = new ArrayList<>();
    j.getJsonArray("replicas").forEach(r -> replicas.add((String) r));
    return new PlacementEntry(j.getInteger("p"), j.getLong("epoch"), j.getString("owner"), replicas);
  }
}
