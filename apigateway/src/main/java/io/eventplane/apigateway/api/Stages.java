package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.DEPLOYMENT;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.api.HttpApiAccess.STAGE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An HTTP API's stages: the {@code $default} stage or named ones, each serving a deployment (or,
 * with AutoDeploy, the API as it is: every change deploys it), with stage variables and throttling
 * ({@code DefaultRouteSettings}, per route key {@code RouteSettings}). Create, Get, GetStages,
 * Update, Delete, DeleteRouteSettings, DeleteAccessLogSettings and ResetAuthorizersCache.
 */
public final class Stages {
  /** Stages per HTTP API (AWS's quota). */
  static final int MAX_STAGES = 10;
  private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9\\-._~:/?#&=,]{1,128}");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern VARIABLE_VALUE = Pattern.compile("[A-Za-z0-9\\-._~:/?#&=,]{1,2048}");

  private final HttpApiAccess access;

  Stages(HttpApiAccess access) {
    this.access = access;
  }

  /** A stage as AWS answers for a new one. */
  static JsonObject newStage(String name, String now) {
    return new JsonObject().put("CreatedDate", now).put("DefaultRouteSettings", new JsonObject().put("DetailedMetricsEnabled", false))
        .put("LastUpdatedDate", now).put("RouteSettings", new JsonObject()).put("StageName", name)
        .put("StageVariables", new JsonObject()).put("Tags", new JsonObject());
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateStage" -> create(request);
      case "GetStage" -> Future.succeededFuture(find(access.find(request), request).copy());
      case "GetStages" -> Future.succeededFuture(Paging.page(in, List.copyOf(access.find(request).children(STAGE).values()),
          "StageName"));
      case "UpdateStage" -> change(request, (api, stage) -> {
        boolean wasAuto = stage.getBoolean("AutoDeploy", false);
        check(api, merge(stage, in)).put("LastUpdatedDate", access.now());
        return !wasAuto && stage.getBoolean("AutoDeploy", false);
      });
      case "DeleteStage" -> access.change(request, api -> {
        JsonObject stage = find(api, request);
        return new HttpApiAccess.Change(new Changes().deleteChild(api.key(), STAGE, stage.getString("StageName")),
            new JsonObject(), false);
      });
      case "DeleteRouteSettings" -> change(request, (api, stage) -> {
        String key = Inputs.string(in, "RouteKey");
        JsonObject settings = stage.getJsonObject("RouteSettings", new JsonObject());
        if (!settings.containsKey(key)) throw ApiGatewayErrors.notFound("Unable to find route settings for route key " + key);
        settings.remove(key);
        return false;
      });
      case "DeleteAccessLogSettings" -> change(request, (api, stage) -> {
        stage.remove("AccessLogSettings");
        return false;
      });
      case "ResetAuthorizersCache" -> {
        find(access.find(request), request);
        access.changed(Inputs.string(in, "ApiId"));
        yield Future.succeededFuture(new JsonObject());
      }
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    String name = Inputs.required(in, "StageName");
    String apiId = Inputs.string(in, "ApiId");
    int partition = io.eventplane.apigateway.ApiIds.partitionOf(apiId);
    return access.table.serially(Math.max(partition, 0), () -> {
      Owner api = access.find(request.context(), apiId);
      if (!name.equals("$default") && !STAGE_NAME.matcher(name).matches()) {
        throw badRequest("Stage name only allows a-zA-Z0-9._-~:/?#&=, and must be 1-128 characters");
      }
      if (api.child(STAGE, name) != null) throw ApiGatewayErrors.conflict("Stage " + name + " already exists");
      if (api.children(STAGE).size() >= MAX_STAGES) {
        throw ApiGatewayErrors.limitExceeded("Maximum number of stages (" + MAX_STAGES + ") for this API reached");
      }
      JsonObject stage = check(api, merge(newStage(name, access.now()), in));
      Changes changes = new Changes().putChild(api.key(), STAGE, name, stage);
      boolean auto = stage.getBoolean("AutoDeploy", false);
      return access.commit(partition, apiId, changes, auto ? name::equals : s -> false)
          .map(v -> access.table.get(partition, api.key()).child(STAGE, name).copy());
    });
  }

  private interface StageChange {
    /** Changes {@code stage} (a copy) in place; answers whether to deploy it now. */
    boolean apply(Owner api, JsonObject stage);
  }

  private Future<JsonObject> change(ApiRequest request, StageChange change) {
    String apiId = Inputs.string(request.input(), "ApiId");
    int partition = io.eventplane.apigateway.ApiIds.partitionOf(apiId);
    return access.table.serially(Math.max(partition, 0), () -> {
      Owner api = access.find(request.context(), apiId);
      JsonObject stage = find(api, request).copy();
      boolean deploy = change.apply(api, stage);
      String name = stage.getString("StageName");
      Changes changes = new Changes().putChild(api.key(), STAGE, name, stage);
      return access.commit(partition, apiId, changes, deploy ? name::equals : s -> false)
          .map(v -> request.operation().equals("UpdateStage") ? access.table.get(partition, api.key()).child(STAGE, name).copy()
              : new JsonObject());
    });
  }

  private JsonObject find(Owner api, ApiRequest request) {
    String name = Inputs.string(request.input(), "StageName");
    JsonObject stage = name == null ? null : api.child(STAGE, name);
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    return stage;
  }

  private static JsonObject merge(JsonObject stage, JsonObject in) {
    for (String m : List.of("Description", "DeploymentId", "ClientCertificateId")) {
      String v = Inputs.string(in, m);
      if (v != null) stage.put(m, v);
    }
    Boolean auto = Inputs.bool(in, "AutoDeploy");
    if (auto != null) stage.put("AutoDeploy", auto);
    JsonObject variables = Inputs.stringMap(in, "StageVariables");
    if (variables != null) stage.put("StageVariables", variables);
    JsonObject defaults = Inputs.object(in, "DefaultRouteSettings");
    if (defaults != null) stage.put("DefaultRouteSettings", routeSettings(defaults, "defaultRouteSettings"));
    JsonObject perRoute = Inputs.object(in, "RouteSettings");
    if (perRoute != null) {
      JsonObject all = new JsonObject();
      for (Map.Entry<String, Object> e : perRoute) {
        if (!(e.getValue() instanceof JsonObject s)) throw badRequest("Invalid input for 'routeSettings': expected objects");
        all.put(e.getKey(), routeSettings(s, "routeSettings"));
      }
      stage.put("RouteSettings", all);
    }
    JsonObject logs = Inputs.object(in, "AccessLogSettings");
    if (logs != null) stage.put("AccessLogSettings", logs);
    JsonObject tags = Inputs.stringMap(in, "Tags");
    if (tags != null) stage.put("Tags", Tags.check(tags));
    return stage;
  }

  private static JsonObject routeSettings(JsonObject s, String member) {
    JsonObject out = new JsonObject();
    for (String b : List.of("DataTraceEnabled", "DetailedMetricsEnabled")) {
      Boolean v = Inputs.bool(s, b);
      if (v != null) out.put(b, v);
    }
    if (!out.containsKey("DetailedMetricsEnabled")) out.put("DetailedMetricsEnabled", false);
    String level = Inputs.oneOf(Inputs.string(s, "LoggingLevel"), "LoggingLevel", List.of("ERROR", "INFO", "OFF"));
    if (level != null) out.put("LoggingLevel", level);
    Integer burst = Inputs.integer(s, "ThrottlingBurstLimit");
    if (burst != null) {
      if (burst < 0) throw badRequest("Invalid " + member + ": throttlingBurstLimit must not be negative");
      out.put("ThrottlingBurstLimit", burst);
    }
    Double rate = Inputs.number(s, "ThrottlingRateLimit");
    if (rate != null) {
      if (rate < 0) throw badRequest("Invalid " + member + ": throttlingRateLimit must not be negative");
      out.put("ThrottlingRateLimit", rate);
    }
    return out;
  }

  /** Checks a stage as it would be in the API. */
  private static JsonObject check(Owner api, JsonObject stage) {
    String deployment = stage.getString("DeploymentId");
    if (deployment != null && api.child(DEPLOYMENT, deployment) == null) {
      throw badRequest("Deployment id " + deployment + " does not exist");
    }
    for (Map.Entry<String, Object> v : stage.getJsonObject("StageVariables", new JsonObject())) {
      if (!VARIABLE_NAME.matcher(v.getKey()).matches()) {
        throw badRequest("Stage variable name " + v.getKey() + " must be alphanumeric or underscore, 1-64 characters");
      }
      if (!VARIABLE_VALUE.matcher((String) v.getValue()).matches()) {
        throw badRequest("Stage variable value " + v.getValue() + " contains characters that are not allowed");
      }
    }
    for (String key : stage.getJsonObject("RouteSettings", new JsonObject()).fieldNames()) {
      boolean exists = api.children(ROUTE).values().stream().anyMatch(r -> key.equals(r.getString("RouteKey")));
      if (!exists) throw ApiGatewayErrors.notFound("Unable to find Route by key " + key + " within the provided RouteSettings");
    }
    return stage;
  }
}
