package io.eventplane.apigateway;

import io.eventplane.apigateway.api.ApiGatewayPartitions;
import io.eventplane.apigateway.store.ApiGatewayStore;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.partition.LaneDeployment;
import io.eventplane.common.service.ServiceDescriptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/**
 * The API Gateway service of a node: {@code lanes} {@link ApiGatewayLane}s, each owning the APIs
 * (with their routes, integrations, stages, deployments and authorizers) and domain names of its
 * share of the partitions. An API lives in the partition its id names ({@link ApiIds}); the
 * management calls reach it there from any node, and so does the gateways' invoke plane
 * ({@code GetDeployedStage}). Invoke traffic itself is served by the gateways, not here.
 */
public final class ApiGatewayService extends VerticleBase {
  /** The host suffix of invoke URLs ({@code <apiId>.execute-api.<suffix>}); system property, default localhost. */
  public static final String HOST_SUFFIX_PROPERTY = "eventplane.apigateway.hostSuffix";

  public static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.partitioned("API Gateway", Contracts.APIGATEWAY,
      List.of(ApiGatewayStore.COLUMN_FAMILY), env -> new ApiGatewayService(
          new ApiGatewayNode(env.store(), env.writer(), env.placement(), env.clock(),
              System.getProperty(HOST_SUFFIX_PROPERTY, "localhost")),
          env.config().serviceThreads()))
      .withLanes(ApiGatewayPartitions::of)
      .withDirectToOwner();

  private final ApiGatewayNode node;
  private final int lanes;

  ApiGatewayService(ApiGatewayNode node, int lanes) {
    if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1: " + lanes);
    this.node = node;
    this.lanes = lanes;
  }

  @Override
  public Future<?> start() {
    return LaneDeployment.deploy(vertx, lanes, i -> new ApiGatewayLane(i, lanes, node));
  }
}
