package io.eventplane.server;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.cluster.replication.ClusterPlacement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Answers {@code DescribeCluster} at {@link Contracts#ADMIN} on this node: who it is and whom it sees. */
final class ClusterInfoVerticle extends VerticleBase {
  private final ClusterSettings settings;
  private final HazelcastInstance hazelcast;
  private final ClusterPlacement placement;

  /** @param hazelcast null in standalone mode, and so is placement */
  ClusterInfoVerticle(ClusterSettings settings, HazelcastInstance hazelcast, ClusterPlacement placement) {
    this.settings = settings;
    this.hazelcast = hazelcast;
    this.placement = placement;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<ApiRequest>localConsumer(Contracts.ADMIN, message -> {
      if ("Health".equals(message.body().operation())) {
        boolean ready = placement == null || placement.ready();
        message.reply(ApiReply.ok(new JsonObject().put("status", ready ? "ok" : "starting").put("ready", ready)));
      } else {
        message.reply(ApiReply.ok(describe()));
      }
    }).completion();
  }

  private JsonObject describe() {
    JsonArray members = new JsonArray();
    if (hazelcast == null) {
      members.add(new JsonObject().put("nodeId", settings.nodeId()).put("self", true));
      return new JsonObject().put("mode", "standalone").put("nodeId", settings.nodeId()).put("members", members);
    }
    Member self = hazelcast.getCluster().getLocalMember();
    for (Member m : hazelcast.getCluster().getMembers()) {
      members.add(new JsonObject()
          .put("nodeId", m.getAttribute("eventplane.node-id"))
          .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
          .put("self", m.equals(self)));
    }
    return new JsonObject().put("mode", "cluster").put("nodeId", settings.nodeId()).put("members", members)
        .put("replicationFactor", settings.replicationFactor()).put("placement", placement.describe());
  }
}
