package io.eventplane.server;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.cluster.replication.ClusterPlacement;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.service.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The node's operator surface at {@link Contracts#ADMIN}, always answered by the local node:
 * {@code Health}, {@code DescribeCluster} (who it is and whom it sees) and the dev-mode
 * {@code Reset}, which asks every resettable service of the node's list, in order, to delete all
 * its state cluster-wide.
 */
final class AdminVerticle extends VerticleBase {
  /** Resets wait for the slowest service (Lambda ends its instances on every node). */
  private static final long RESET_TIMEOUT_MILLIS = 60_000;

  private final ClusterSettings settings;
  private final HazelcastInstance hazelcast;
  private final ClusterPlacement placement;
  private final List<ServiceDescriptor> services;

  /** @param hazelcast null in standalone mode, and so is placement */
  AdminVerticle(ClusterSettings settings, HazelcastInstance hazelcast, ClusterPlacement placement,
      List<ServiceDescriptor> services) {
    this.settings = settings;
    this.hazelcast = hazelcast;
    this.placement = placement;
    this.services = List.copyOf(services);
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<ApiRequest>localConsumer(Contracts.ADMIN, message -> {
      if ("Health".equals(message.body().operation())) {
        boolean ready = placement == null || placement.ready();
        message.reply(ApiReply.ok(new JsonObject().put("status", ready ? "ok" : "starting").put("ready", ready)));
      } else if ("Reset".equals(message.body().operation())) {
        reset(message.body()).onComplete(done -> message.reply(done.succeeded() ? done.result()
            : ApiReply.failed(ServiceError.internal("Reset failed: " + done.cause().getMessage()))));
      } else {
        message.reply(ApiReply.ok(describe()));
      }
    }).completion();
  }

  /** Each service in turn; the first that fails stops the reset and is the answer, naming that service. */
  private Future<ApiReply> reset(ApiRequest request) {
    Future<ApiReply> chain = Future.succeededFuture(ApiReply.ok(new JsonObject().put("reset", true)));
    for (ServiceDescriptor service : services) {
      if (!service.resettable()) continue;
      ApiRequest reset = new ApiRequest("Reset", new JsonObject(), request.context());
      chain = chain.compose(previous -> !previous.succeeded() ? Future.succeededFuture(previous)
          : vertx.eventBus().<ApiReply>request(service.address(), reset,
              new DeliveryOptions().setSendTimeout(RESET_TIMEOUT_MILLIS)).map(Message::body)
              .map(reply -> reply.succeeded() ? reply : ApiReply.failed(new ServiceError(reply.error().code(),
                  "Reset of " + service.name() + " failed: " + reply.error().message(), reply.error().fault()))));
    }
    return chain.map(last -> last.succeeded() ? ApiReply.ok(new JsonObject().put("reset", true)) : last);
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
