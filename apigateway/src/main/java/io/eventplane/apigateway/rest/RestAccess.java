package io.eventplane.apigateway.rest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.api.ApiGatewayPartitions;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * What the REST API (v1) handlers share. A REST API is stored as the owner {@code a/<restApiId>}
 * (the same key space as HTTP APIs, so its id names its partition) with the record
 * {@code {Account, Region, Kind: "REST", RestApi: <GetRestApi output>}}; its resources (each with
 * its methods, their integrations and responses embedded, as GetResources?embed=methods answers),
 * deployments with their snapshots, stages, authorizers, request validators and models (by name)
 * are its children. API keys ({@code k/<account>/<region>/<id>}) and usage plans
 * ({@code u/<account>/<region>/<id>}, their keys as children) are the account's, in the account and
 * region's partition: the partition of every REST API the account creates there.
 */
final class RestAccess {
  static final String KIND = "REST";
  static final String RESOURCE = "r.resource";
  static final String DEPLOYMENT = "r.deployment";
  /** A deployment's copy of the API as deployed: {@code {RestApi, Resources, Authorizers, RequestValidators, Models}}. */
  static final String SNAPSHOT = "r.snapshot";
  static final String STAGE = "r.stage";
  static final String AUTHORIZER = "r.authorizer";
  static final String VALIDATOR = "r.validator";
  static final String MODEL = "r.model";
  static final String PLAN_KEY = "r.key";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  final ApiTable table;
  final Clock clock;
  final ApiIds ids;
  private final EventBus bus;
  private final Random random = new SecureRandom();

  RestAccess(ApiTable table, Clock clock, ApiIds ids, EventBus bus) {
    this.table = table;
    this.clock = clock;
    this.ids = ids;
    this.bus = bus;
  }

  static String ownerOf(String restApiId) {
    return "a/" + restApiId;
  }

  static String keyOwner(String account, String region, String keyId) {
    return "k/" + account + "/" + region + "/" + keyId;
  }

  static String planOwner(String account, String region, String planId) {
    return "u/" + account + "/" + region + "/" + planId;
  }

  /** Now in epoch seconds, as the REST API's timestamps are. */
  long now() {
    return clock.millis() / 1000;
  }

  /** A new id of {@code n} characters {@code [a-z0-9]} (resources 10, deployments and the like 6, as AWS's). */
  String id(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return b.toString();
  }

  /** Whether {@code restApiId} names a REST API (of anyone) here. */
  boolean isRestApi(String restApiId) {
    return findAnywhere(restApiId) != null;
  }

  /** The REST API of this id whoever owns it, or null. */
  Owner findAnywhere(String restApiId) {
    int partition = ApiIds.partitionOf(restApiId);
    if (partition < 0) return null;
    Owner api = table.get(partition, ownerOf(restApiId));
    return api == null || !KIND.equals(api.record().getString("Kind")) ? null : api;
  }

  /**
   * Calls about one resource, its methods and integrations: when their API is not the caller's,
   * AWS says the resource is not found ({@code Invalid Resource identifier specified}), not the API.
   */
  private static final java.util.Set<String> RESOURCE_SCOPED = java.util.Set.of("GetResource", "UpdateResource", "DeleteResource",
      "PutMethod", "GetMethod", "UpdateMethod", "DeleteMethod", "PutMethodResponse", "GetMethodResponse", "UpdateMethodResponse",
      "DeleteMethodResponse", "PutIntegration", "GetIntegration", "UpdateIntegration", "DeleteIntegration", "PutIntegrationResponse",
      "GetIntegrationResponse", "UpdateIntegrationResponse", "DeleteIntegrationResponse");

  /** The REST API the call names ({@code restApiId}), if it is the caller's; else NotFoundException. */
  Owner find(ApiRequest request) {
    try {
      return find(request.context(), RestInputs.string(request.input(), "restApiId"));
    } catch (io.eventplane.common.error.ServiceException e) {
      if (RESOURCE_SCOPED.contains(request.operation())) throw ApiGatewayErrors.notFound("Invalid Resource identifier specified");
      throw e;
    }
  }

  Owner find(RequestContext context, String restApiId) {
    Owner api = findAnywhere(restApiId);
    if (api == null || !mine(api, context)) throw ApiGatewayErrors.apiNotFound(context.accountId(), restApiId);
    return api;
  }

  static boolean mine(Owner o, RequestContext context) {
    return context.accountId().equals(o.record().getString("Account")) && context.region().equals(o.record().getString("Region"));
  }

  /** A change's outcome: what to write and what to answer. */
  record Change(Changes changes, JsonObject output) {}

  /** Changes the call's REST API in one turn of its partition, then tells every gateway it changed. */
  Future<JsonObject> change(ApiRequest request, Function<Owner, Change> change) {
    String restApiId = RestInputs.string(request.input(), "restApiId");
    int partition = Math.max(0, ApiIds.partitionOf(restApiId));
    return table.serially(partition, () -> {
      Owner api = find(request);
      Change c = change.apply(api);
      Future<Void> written = c.changes().isEmpty() ? Future.succeededFuture() : table.apply(partition, c.changes());
      return written.onSuccess(v -> changed(List.of(restApiId))).map(v -> c.output());
    });
  }

  /**
   * Changes the caller's account-wide resources (API keys, usage plans) in one turn of the account's
   * partition; the change names the REST APIs whose deployed stages it touches.
   */
  Future<JsonObject> changeAccount(ApiRequest request, Function<Integer, AccountChange> change) {
    int partition = partitionOf(request.context());
    return table.serially(partition, () -> {
      AccountChange c = change.apply(partition);
      Future<Void> written = c.changes().isEmpty() ? Future.succeededFuture() : table.apply(partition, c.changes());
      return written.onSuccess(v -> changed(c.apis())).map(v -> c.output());
    });
  }

  /** An account-wide change: what to write, what to answer, the APIs whose stages it touches. */
  record AccountChange(Changes changes, JsonObject output, Collection<String> apis) {}

  static int partitionOf(RequestContext context) {
    return ApiGatewayPartitions.of(context.accountId(), context.region());
  }

  /** The caller's owners of a kind prefix ({@code k}, {@code u}) in key order. */
  List<Owner> accountOwners(String prefix, String account, String region) {
    String start = prefix + "/" + account + "/" + region + "/";
    return table.all(ApiGatewayPartitions.of(account, region)).stream().filter(o -> o.key().startsWith(start)).toList();
  }

  /** Tells every gateway that REST APIs changed, so that they drop their cached stages. */
  void changed(Collection<String> restApiIds) {
    for (String id : restApiIds) bus.publish(Contracts.APIGATEWAY_CHANGED, new JsonObject().put("ApiId", id));
  }
}
