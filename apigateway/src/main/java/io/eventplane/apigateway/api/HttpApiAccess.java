package io.eventplane.apigateway.api;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the v2 (HTTP API) handlers share: finding the caller's API from its id, changing it in
 * one turn of its partition (then deploying its AutoDeploy stages and telling every gateway it
 * changed), ids, timestamps and the API's endpoint. An API is stored as the owner {@code a/<apiId>}
 * with the record {@code {Account, Region, Kind: "HTTP", Api: <GetApi output but ApiEndpoint>}};
 * its routes, integrations, authorizers, stages (by name), deployments and deployment snapshots are
 * its children, each stored in its Get* output shape.
 */
final class HttpApiAccess {
  static final String ROUTE = "route";
  static final String INTEGRATION = "integration";
  static final String AUTHORIZER = "authorizer";
  static final String STAGE = "stage";
  static final String DEPLOYMENT = "deployment";
  /** A deployment's copy of the API as deployed: {@code {Api, Routes, Integrations, Authorizers}}. */
  static final String SNAPSHOT = "snapshot";

  final ApiTable table;
  final Clock clock;
  final ApiIds ids;
  private final EventBus bus;
  private final String hostSuffix;

  HttpApiAccess(ApiTable table, Clock clock, ApiIds ids, EventBus bus, String hostSuffix) {
    this.table = table;
    this.clock = clock;
    this.ids = ids;
    this.bus = bus;
    this.hostSuffix = hostSuffix;
  }

  static String ownerOf(String apiId) {
    return "a/" + apiId;
  }

  /** Now, as API Gateway's timestamps give it (ISO 8601, whole seconds). */
  String now() {
    return Instant.ofEpochSecond(clock.millis() / 1000).toString();
  }

  /** The HTTP API the call names (its {@code ApiId}), if it is the caller's; else NotFoundException. */
  Owner find(ApiRequest request) {
    String apiId = Inputs.string(request.input(), "ApiId");
    return find(request.context(), apiId);
  }

  Owner find(RequestContext context, String apiId) {
    Owner api = findAnywhere(apiId);
    if (api == null || !context.accountId().equals(api.record().getString("Account"))
        || !context.region().equals(api.record().getString("Region"))) {
      throw ApiGatewayErrors.apiNotFound(context.accountId(), apiId);
    }
    return api;
  }

  /** The HTTP API of this id whoever owns it, or null. */
  Owner findAnywhere(String apiId) {
    int partition = ApiIds.partitionOf(apiId);
    if (partition < 0) return null;
    Owner api = table.get(partition, ownerOf(apiId));
    return api == null || !"HTTP".equals(api.record().getString("Kind")) ? null : api;
  }

  /** A change's outcome: what to write, what to answer, and whether the API's definition changed. */
  record Change(Changes changes, JsonObject output, boolean redeploy) {}

  /**
   * Changes the call's API in one turn of its partition: {@code change} decides on the API as the
   * partition's earlier writes left it; once written, the AutoDeploy stages are deployed if the
   * definition changed, and every gateway is told.
   */
  Future<JsonObject> change(ApiRequest request, Function<Owner, Change> change) {
    String apiId = Inputs.string(request.input(), "ApiId");
    int partition = ApiIds.partitionOf(apiId);
    return table.serially(partition < 0 ? 0 : partition, () -> {
      Owner api = find(request.context(), apiId);
      Change c = change.apply(api);
      return commit(partition, apiId, c.changes(), c.redeploy() ? stage -> true : stage -> false).map(v -> c.output());
    });
  }

  /**
   * Writes the changes of an API, then deploys its AutoDeploy stages {@code deploy} selects, then
   * tells every gateway. Call inside the partition's turn.
   */
  Future<Void> commit(int partition, String apiId, Changes changes, Predicate<String> deploy) {
    Future<Void> written = changes.isEmpty() ? Future.succeededFuture() : table.apply(partition, changes);
    return written.compose(v -> autoDeploy(partition, apiId, deploy)).onSuccess(v -> changed(apiId));
  }

  /** Tells every gateway that an API changed, so that they drop its cached stages. */
  void changed(String apiId) {
    bus.publish(Contracts.APIGATEWAY_CHANGED, new JsonObject().put("ApiId", apiId));
  }

  private Future<Void> autoDeploy(int partition, String apiId, Predicate<String> deploy) {
    Owner api = table.get(partition, ownerOf(apiId));
    if (api == null || api.children(ROUTE).isEmpty()) return Future.succeededFuture();
    Changes more = new Changes();
    String owner = ownerOf(apiId);
    for (JsonObject stage : api.children(STAGE).values()) {
      if (!stage.getBoolean("AutoDeploy", false) || !deploy.test(stage.getString("StageName"))) continue;
      String id = ids.childId();
      more.putChild(owner, DEPLOYMENT, id, new JsonObject().put("AutoDeployed", true).put("CreatedDate", now())
          .put("DeploymentId", id).put("DeploymentStatus", "DEPLOYED"));
      more.putChild(owner, SNAPSHOT, id, snapshot(api));
      more.putChild(owner, STAGE, stage.getString("StageName"), stage.copy().put("DeploymentId", id)
          .put("LastDeploymentStatusMessage", "Successfully deployed stage with deployment ID '" + id + "'")
          .put("LastUpdatedDate", now()));
    }
    return more.isEmpty() ? Future.succeededFuture() : table.apply(partition, more);
  }

  /** The API's definition as it is now: what a deployment keeps. */
  static JsonObject snapshot(Owner api) {
    return new JsonObject().put("Api", api.record().getJsonObject("Api").copy())
        .put("Routes", new JsonArray(api.children(ROUTE).values().stream().map(JsonObject::copy).toList()))
        .put("Integrations", new JsonArray(api.children(INTEGRATION).values().stream().map(JsonObject::copy).toList()))
        .put("Authorizers", new JsonArray(api.children(AUTHORIZER).values().stream().map(JsonObject::copy).toList()));
  }

  /** GetApi's output: the stored API with the endpoint that reaches it on this server. */
  JsonObject apiOutput(JsonObject storedApi, RequestContext context) {
    return storedApi.copy().put("ApiEndpoint", endpoint(storedApi.getString("ApiId"), context));
  }

  /**
   * {@code http://<apiId>.execute-api.<host suffix>:<port>}: the port the caller reached this server
   * on (from its Host header), the host suffix from the configuration (default {@code localhost},
   * which resolves to this machine on most systems).
   */
  String endpoint(String apiId, RequestContext context) {
    int port = -1;
    String scheme = "http";
    try {
      URI base = URI.create(context.baseUrl());
      port = base.getPort();
      if (base.getScheme() != null) scheme = base.getScheme();
    } catch (IllegalArgumentException e) {
      // no usable base URL: the default port of the scheme
    }
    return scheme + "://" + apiId + ".execute-api." + hostSuffix + (port < 0 ? "" : ":" + port);
  }
}
