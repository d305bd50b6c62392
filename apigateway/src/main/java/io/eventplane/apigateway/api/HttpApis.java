package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.INTEGRATION;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.api.HttpApiAccess.STAGE;
import static io.eventplane.apigateway.api.HttpApiAccess.ownerOf;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * The API calls of v2: CreateApi (with quick create: {@code Target} makes the {@code $default}
 * stage, a route and its integration, as AWS does), GetApi, GetApis, UpdateApi, DeleteApi and
 * DeleteCorsConfiguration, ImportApi and ReimportApi (an OpenAPI definition, {@link OpenApiDefinitions}).
 * Only HTTP APIs: a WebSocket API is refused. Used only on the lane's context.
 */
public final class HttpApis {
  static final String ROUTE_SELECTION = "$request.method $request.path";
  static final String API_KEY_SELECTION = "$request.header.x-api-key";
  /** HTTP APIs per account and region (AWS's default quota is 600). */
  static final int APIS_PER_REGION = 600;

  private final HttpApiAccess access;

  HttpApis(HttpApiAccess access) {
    this.access = access;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateApi" -> create(request);
      case "GetApi" -> Future.succeededFuture(
          access.apiOutput(access.find(request).record().getJsonObject("Api"), request.context()));
      case "GetApis" -> Future.succeededFuture(list(request));
      case "UpdateApi" -> update(request);
      case "DeleteApi" -> delete(request);
      case "ImportApi" -> importApi(request);
      case "ReimportApi" -> reimport(request);
      case "DeleteCorsConfiguration" -> access.change(request, api -> {
        JsonObject stored = api.record().getJsonObject("Api").copy();
        stored.remove("CorsConfiguration");
        return new HttpApiAccess.Change(new Changes().putOwner(api.key(), api.record().copy().put("Api", stored)),
            new JsonObject(), true);
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    String name = Inputs.required(in, "Name");
    checkName(name);
    String protocol = Inputs.required(in, "ProtocolType");
    if (protocol.equals("WEBSOCKET")) {
      throw badRequest("WebSocket APIs are not supported by this server: only ProtocolType HTTP");
    }
    if (!protocol.equals("HTTP")) throw badRequest("Invalid protocol specified. Must be one of [HTTP, WEBSOCKET]");
    String routeSelection = Inputs.string(in, "RouteSelectionExpression");
    if (routeSelection != null && !routeSelection.equals(ROUTE_SELECTION)) {
      throw badRequest("Unsupported route selection expression for HTTP API: " + routeSelection);
    }
    String apiKeySelection = Inputs.string(in, "ApiKeySelectionExpression");
    if (apiKeySelection != null && !apiKeySelection.equals(API_KEY_SELECTION)
        && !apiKeySelection.equals("$context.authorizer.usageIdentifierKey")) {
      throw badRequest("Invalid API Key Selection Expression: " + apiKeySelection);
    }
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    JsonObject api = new JsonObject();
    String apiId = access.ids.apiId(partition);
    api.put("ApiId", apiId);
    api.put("ApiKeySelectionExpression", apiKeySelection == null ? API_KEY_SELECTION : apiKeySelection);
    JsonObject cors = Inputs.object(in, "CorsConfiguration");
    if (cors != null) api.put("CorsConfiguration", Cors.check(cors));
    api.put("CreatedDate", access.now());
    String description = Inputs.string(in, "Description");
    if (description != null) api.put("Description", checkDescription(description));
    api.put("DisableExecuteApiEndpoint", bool(in, "DisableExecuteApiEndpoint"));
    Boolean schema = Inputs.bool(in, "DisableSchemaValidation");
    if (schema != null) api.put("DisableSchemaValidation", schema);
    String ipType = Inputs.oneOf(Inputs.string(in, "IpAddressType"), "IpAddressType", List.of("ipv4", "dualstack"));
    api.put("IpAddressType", ipType == null ? "ipv4" : ipType);
    api.put("Name", name);
    api.put("ProtocolType", "HTTP");
    api.put("RouteSelectionExpression", ROUTE_SELECTION);
    JsonObject tags = Inputs.stringMap(in, "Tags");
    api.put("Tags", tags == null ? new JsonObject() : Tags.check(tags));
    String version = Inputs.string(in, "Version");
    if (version != null) api.put("Version", version);
    Changes changes = new Changes();
    String owner = ownerOf(apiId);
    changes.putOwner(owner, new JsonObject().put("Account", account).put("Region", region).put("Kind", "HTTP").put("Api", api));
    quickCreate(in, owner, changes);
    return access.table.serially(partition, () -> {
      long mine = access.table.all(partition).stream().filter(o -> o.key().startsWith("a/") && "HTTP".equals(o.record().getString("Kind"))
          && account.equals(o.record().getString("Account")) && region.equals(o.record().getString("Region"))).count();
      if (mine >= APIS_PER_REGION) {
        return Future.failedFuture(io.eventplane.apigateway.domain.ApiGatewayErrors.limitExceeded(
            "Your account has reached the limit of " + APIS_PER_REGION + " APIs in this Region"));
      }
      return access.commit(partition, apiId, changes, stage -> true);
    }).map(v -> access.apiOutput(api, request.context()));
  }

  /** Quick create: a {@code Target} makes an integration to it, a route ({@code RouteKey}, default $default) and the $default stage. */
  private void quickCreate(JsonObject in, String owner, Changes changes) {
    String target = Inputs.string(in, "Target");
    String routeKey = Inputs.string(in, "RouteKey");
    String credentials = Inputs.string(in, "CredentialsArn");
    if (target == null) {
      if (routeKey != null || credentials != null) {
        throw badRequest("Target must be specified when RouteKey or CredentialsArn is specified");
      }
      return;
    }
    JsonObject integration = Integrations.quickCreate(target, credentials, access.ids.childId());
    String key = routeKey == null ? "$default" : RouteKeys.check(routeKey);
    String routeId = access.ids.childId();
    JsonObject route = new JsonObject().put("ApiGatewayManaged", true).put("ApiKeyRequired", false)
        .put("AuthorizationType", "NONE").put("RouteId", routeId).put("RouteKey", key)
        .put("Target", "integrations/" + integration.getString("IntegrationId"));
    JsonObject stage = Stages.newStage("$default", access.now()).put("ApiGatewayManaged", true).put("AutoDeploy", true);
    changes.putChild(owner, INTEGRATION, integration.getString("IntegrationId"), integration);
    changes.putChild(owner, ROUTE, routeId, route);
    changes.putChild(owner, STAGE, "$default", stage);
  }

  private JsonObject list(ApiRequest request) {
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    List<JsonObject> apis = access.table.all(partition).stream()
        .filter(o -> "HTTP".equals(o.record().getString("Kind")) && account.equals(o.record().getString("Account"))
            && region.equals(o.record().getString("Region")))
        .map(o -> access.apiOutput(o.record().getJsonObject("Api"), request.context()))
        .sorted(Comparator.comparing(a -> a.getString("ApiId")))
        .toList();
    return Paging.page(request.input(), apis, "ApiId");
  }

  private Future<JsonObject> update(ApiRequest request) {
    JsonObject in = request.input();
    return access.change(request, api -> {
      JsonObject stored = api.record().getJsonObject("Api").copy();
      String name = Inputs.string(in, "Name");
      if (name != null) stored.put("Name", checkName(name));
      String description = Inputs.string(in, "Description");
      if (description != null) stored.put("Description", checkDescription(description));
      JsonObject cors = Inputs.object(in, "CorsConfiguration");
      if (cors != null) stored.put("CorsConfiguration", Cors.check(cors));
      Boolean disable = Inputs.bool(in, "DisableExecuteApiEndpoint");
      if (disable != null) stored.put("DisableExecuteApiEndpoint", disable);
      Boolean schema = Inputs.bool(in, "DisableSchemaValidation");
      if (schema != null) stored.put("DisableSchemaValidation", schema);
      String version = Inputs.string(in, "Version");
      if (version != null) stored.put("Version", version);
      String ipType = Inputs.oneOf(Inputs.string(in, "IpAddressType"), "IpAddressType", List.of("ipv4", "dualstack"));
      if (ipType != null) stored.put("IpAddressType", ipType);
      String routeSelection = Inputs.string(in, "RouteSelectionExpression");
      if (routeSelection != null && !routeSelection.equals(ROUTE_SELECTION)) {
        throw badRequest("Unsupported route selection expression for HTTP API: " + routeSelection);
      }
      Changes changes = new Changes().putOwner(api.key(), api.record().copy().put("Api", stored));
      if (Inputs.string(in, "Target") != null || Inputs.string(in, "RouteKey") != null
          || Inputs.string(in, "CredentialsArn") != null) {
        quickUpdate(api, in, changes);
      }
      return new HttpApiAccess.Change(changes, access.apiOutput(stored, request.context()), true);
    });
  }

  /** UpdateApi's quick-update: changes the API-managed route and integration. */
  private void quickUpdate(Owner api, JsonObject in, Changes changes) {
    JsonObject route = api.children(ROUTE).values().stream().filter(r -> r.getBoolean("ApiGatewayManaged", false))
        .findFirst().orElseThrow(() -> badRequest("Quick update is only available for APIs created with quick create"));
    String routeKey = Inputs.string(in, "RouteKey");
    if (routeKey != null) {
      changes.putChild(api.key(), ROUTE, route.getString("RouteId"), route.copy().put("RouteKey", RouteKeys.check(routeKey)));
    }
    String integrationId = route.getString("Target", "").replace("integrations/", "");
    JsonObject integration = api.child(INTEGRATION, integrationId);
    if (integration != null && (Inputs.string(in, "Target") != null || Inputs.string(in, "CredentialsArn") != null)) {
      JsonObject changed = Inputs.string(in, "Target") != null
          ? Integrations.quickCreate(Inputs.string(in, "Target"), integration.getString("CredentialsArn"), integrationId)
          : integration.copy();
      String credentials = Inputs.string(in, "CredentialsArn");
      if (credentials != null) changed.put("CredentialsArn", credentials);
      changes.putChild(api.key(), INTEGRATION, integrationId, changed);
    }
  }

  /** ImportApi: a new API with the routes, integrations and authorizers of an OpenAPI definition. */
  private Future<JsonObject> importApi(ApiRequest request) {
    return access.table.offLoop(() -> OpenApiDefinitions.read(Inputs.string(request.input(), "Body")))
        .compose(doc -> importApi(request, doc));
  }

  private Future<JsonObject> importApi(ApiRequest request, JsonObject doc) {
    JsonObject in = request.input();
    OpenApiDefinitions.Imported d = OpenApiDefinitions.parse(doc, access.ids);
    failOnWarnings(in, d);
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    String apiId = access.ids.apiId(partition);
    String now = access.now();
    JsonObject api = new JsonObject().put("ApiId", apiId).put("ApiKeySelectionExpression", API_KEY_SELECTION)
        .put("CreatedDate", now).put("DisableExecuteApiEndpoint", false).put("IpAddressType", "ipv4")
        .put("ProtocolType", "HTTP").put("RouteSelectionExpression", ROUTE_SELECTION).put("Tags", new JsonObject())
        .mergeIn(d.api());
    String owner = ownerOf(apiId);
    Changes changes = new Changes().putOwner(owner, new JsonObject().put("Account", account).put("Region", region)
        .put("Kind", "HTTP").put("Api", api));
    children(owner, d, changes);
    return access.table.serially(partition, () -> {
      long mine = access.table.all(partition).stream().filter(o -> o.key().startsWith("a/")
          && account.equals(o.record().getString("Account")) && region.equals(o.record().getString("Region"))).count();
      if (mine >= APIS_PER_REGION) {
        return Future.failedFuture(io.eventplane.apigateway.domain.ApiGatewayErrors.limitExceeded(
            "Your account has reached the limit of " + APIS_PER_REGION + " APIs in this Region"));
      }
      return access.commit(partition, apiId, changes, stage -> true);
    }).map(v -> withWarnings(access.apiOutput(api, request.context()), d));
  }

  /** ReimportApi: the API's routes, integrations and authorizers replaced by those of a definition. */
  private Future<JsonObject> reimport(ApiRequest request) {
    return access.table.offLoop(() -> OpenApiDefinitions.read(Inputs.string(request.input(), "Body")))
        .compose(doc -> reimport(request, doc));
  }

  private Future<JsonObject> reimport(ApiRequest request, JsonObject doc) {
    JsonObject in = request.input();
    OpenApiDefinitions.Imported d = OpenApiDefinitions.parse(doc, access.ids);
    failOnWarnings(in, d);
    return access.change(request, api -> {
      JsonObject stored = api.record().getJsonObject("Api").copy();
      stored.remove("Description");
      stored.remove("Version");
      stored.remove("CorsConfiguration");
      stored.mergeIn(d.api());
      Changes changes = new Changes().putOwner(api.key(), api.record().copy().put("Api", stored));
      for (String kind : List.of(ROUTE, INTEGRATION, HttpApiAccess.AUTHORIZER)) {
        for (String id : api.children(kind).keySet()) changes.deleteChild(api.key(), kind, id);
      }
      children(api.key(), d, changes);
      return new HttpApiAccess.Change(changes, withWarnings(access.apiOutput(stored, request.context()), d), true);
    });
  }

  private static void children(String owner, OpenApiDefinitions.Imported d, Changes changes) {
    d.integrations().forEach(i -> changes.putChild(owner, INTEGRATION, i.getString("IntegrationId"), i));
    d.authorizers().forEach(a -> changes.putChild(owner, HttpApiAccess.AUTHORIZER, a.getString("AuthorizerId"), a));
    d.routes().forEach(r -> changes.putChild(owner, ROUTE, r.getString("RouteId"), r));
  }

  private static void failOnWarnings(JsonObject in, OpenApiDefinitions.Imported d) {
    Object fail = in.getValue("FailOnWarnings");
    if ((Boolean.TRUE.equals(fail) || "true".equals(fail)) && !d.warnings().isEmpty()) {
      throw badRequest("Warnings found during import:\n\t" + String.join("\n\t", d.warnings()));
    }
  }

  private static JsonObject withWarnings(JsonObject output, OpenApiDefinitions.Imported d) {
    if (!d.warnings().isEmpty()) output.put("Warnings", new io.vertx.core.json.JsonArray(d.warnings()));
    return output;
  }

  private Future<JsonObject> delete(ApiRequest request) {
    return access.change(request, api -> new HttpApiAccess.Change(new Changes().deleteOwner(api.key()), new JsonObject(), false));
  }

  private static boolean bool(JsonObject in, String member) {
    Boolean b = Inputs.bool(in, member);
    return b != null && b;
  }

  static String checkName(String name) {
    if (name.isEmpty() || name.length() > 128) throw badRequest("Invalid API name specified: must be 1-128 characters");
    return name;
  }

  static String checkDescription(String description) {
    if (description.length() > 1024) throw badRequest("Description must be at most 1024 characters");
    return description;
  }
}
