package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.rest.RestAccess.AUTHORIZER;
import static io.eventplane.apigateway.rest.RestAccess.DEPLOYMENT;
import static io.eventplane.apigateway.rest.RestAccess.MODEL;
import static io.eventplane.apigateway.rest.RestAccess.SNAPSHOT;
import static io.eventplane.apigateway.rest.RestAccess.STAGE;
import static io.eventplane.apigateway.rest.RestAccess.VALIDATOR;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * CreateDeployment (with {@code stageName}: creating that stage, or moving it to the new
 * deployment), GetDeployment, GetDeployments, UpdateDeployment ({@code /description}) and
 * DeleteDeployment (refused while a stage serves it). A deployment is an immutable snapshot of the
 * API ({@code {RestApi, Resources, Authorizers, RequestValidators, Models}}, each resource with its
 * methods, integrations and responses embedded), kept beside it for the stages that serve it.
 * Used only on the lane's context.
 */
final class RestDeployments {
  private final RestAccess access;
  private final RestStages stages;

  RestDeployments(RestAccess access, RestStages stages) {
    this.access = access;
    this.stages = stages;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateDeployment" -> access.change(request, api -> create(api, in));
      case "GetDeployment" -> Future.succeededFuture(get(access.find(request), in));
      case "GetDeployments" -> Future.succeededFuture(RestPaging.page(in, access.find(request).children(DEPLOYMENT).values()
          .stream().sorted(Comparator.comparing((JsonObject d) -> d.getLong("createdDate")).thenComparing(d -> d.getString("id")))
          .toList(), d -> String.format("%015d", d.getLong("createdDate")) + d.getString("id")));
      case "UpdateDeployment" -> access.change(request, api -> {
        JsonObject updated = new Patches().scalar("description", Patches.Kind.STRING, true).apply(find(api, in), in);
        return new RestAccess.Change(new Changes().putChild(api.key(), DEPLOYMENT, updated.getString("id"), updated), updated);
      });
      case "DeleteDeployment" -> access.change(request, api -> {
        String id = find(api, in).getString("id");
        for (JsonObject stage : api.children(STAGE).values()) {
          if (id.equals(stage.getString("deploymentId"))) {
            throw badRequest("Active stages pointing to this deployment must be moved or deleted");
          }
        }
        return new RestAccess.Change(new Changes().deleteChild(api.key(), DEPLOYMENT, id).deleteChild(api.key(), SNAPSHOT, id),
            new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  /** GetDeployment, with {@code embed=apisummary}: each deployed path's methods' authorization type and API key requirement. */
  private static JsonObject get(Owner api, JsonObject in) {
    JsonObject deployment = find(api, in).copy();
    Object embed = in.getValue("embed");
    boolean summary = embed instanceof JsonArray a ? a.contains("apisummary") : "apisummary".equals(embed);
    JsonObject snapshot = api.child(SNAPSHOT, deployment.getString("id"));
    if (!summary || snapshot == null) return deployment;
    JsonObject apiSummary = new JsonObject();
    for (Object r : snapshot.getJsonArray("Resources")) {
      JsonObject methods = ((JsonObject) r).getJsonObject("resourceMethods");
      if (methods == null || methods.isEmpty()) continue;
      JsonObject byMethod = new JsonObject();
      for (String m : methods.fieldNames()) {
        JsonObject method = methods.getJsonObject(m);
        byMethod.put(m, new JsonObject().put("authorizationType", method.getString("authorizationType"))
            .put("apiKeyRequired", method.getBoolean("apiKeyRequired", false)));
      }
      apiSummary.put(((JsonObject) r).getString("path"), byMethod);
    }
    return deployment.put("apiSummary", apiSummary);
  }

  static JsonObject find(Owner api, JsonObject in) {
    String id = RestInputs.string(in, "deploymentId");
    JsonObject deployment = id == null ? null : api.child(DEPLOYMENT, id);
    if (deployment == null) throw ApiGatewayErrors.notFound("Invalid Deployment identifier specified");
    return deployment;
  }

  private RestAccess.Change create(Owner api, JsonObject in) {
    List<JsonObject> resources = Resources.sorted(api);
    boolean anyMethod = false;
    for (JsonObject r : resources) {
      JsonObject methods = r.getJsonObject("resourceMethods", new JsonObject());
      for (String m : methods.fieldNames()) {
        anyMethod = true;
        if (!methods.getJsonObject(m).containsKey("methodIntegration")) throw badRequest("No integration defined for method");
      }
    }
    if (!anyMethod) throw badRequest("The REST API doesn't contain any methods");
    String id = access.id(6);
    JsonObject deployment = new JsonObject().put("id", id);
    String description = RestInputs.string(in, "description");
    if (description != null) deployment.put("description", description);
    deployment.put("createdDate", access.now());
    Changes changes = new Changes()
        .putChild(api.key(), DEPLOYMENT, id, deployment)
        .putChild(api.key(), SNAPSHOT, id, snapshot(api, resources));
    String stageName = RestInputs.string(in, "stageName");
    if (stageName != null && !stageName.isEmpty()) {
      JsonObject existing = api.child(STAGE, stageName);
      JsonObject stage;
      if (existing == null) {
        JsonObject stageIn = new JsonObject().put("stageName", stageName).put("deploymentId", id);
        for (String m : List.of("cacheClusterEnabled", "cacheClusterSize", "variables", "tracingEnabled", "canarySettings")) {
          if (in.containsKey(m)) stageIn.put(m, in.getValue(m));
        }
        if (in.containsKey("stageDescription")) stageIn.put("description", in.getValue("stageDescription"));
        stage = stages.newStage(stageIn);
      } else {
        stage = existing.copy().put("deploymentId", id).put("lastUpdatedDate", access.now());
        JsonObject variables = RestInputs.stringMap(in, "variables");
        if (variables != null) stage.put("variables", RestStages.checkVariables(variables));
      }
      changes.putChild(api.key(), STAGE, stageName, stage);
    }
    return new RestAccess.Change(changes, deployment.copy());
  }

  /** The API as a deployment keeps it. */
  private static JsonObject snapshot(Owner api, List<JsonObject> resources) {
    return new JsonObject().put("RestApi", RestApis.output(api))
        .put("Resources", new JsonArray(resources.stream().map(r -> Resources.output(r, true)).toList()))
        .put("Authorizers", values(api, AUTHORIZER))
        .put("RequestValidators", values(api, VALIDATOR))
        .put("Models", values(api, MODEL));
  }

  private static JsonArray values(Owner api, String kind) {
    return new JsonArray(api.children(kind).values().stream().map(JsonObject::copy).toList());
  }
}
