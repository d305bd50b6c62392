package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.DEPLOYMENT;
import static io.eventplane.apigateway.api.HttpApiAccess.ROUTE;
import static io.eventplane.apigateway.api.HttpApiAccess.SNAPSHOT;
import static io.eventplane.apigateway.api.HttpApiAccess.STAGE;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * An HTTP API's deployments: a copy of its routes, integrations and authorizers as they were, which
 * a stage serves (its {@code DeploymentId}). CreateDeployment (optionally to a stage), Get,
 * GetDeployments, Update (the description) and Delete (not while a stage serves it).
 */
public final class Deployments {
  private final HttpApiAccess access;

  Deployments(HttpApiAccess access) {
    this.access = access;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateDeployment" -> create(request);
      case "GetDeployment" -> Future.succeededFuture(find(access.find(request), request).copy());
      case "GetDeployments" -> Future.succeededFuture(Paging.page(in, access.find(request).children(DEPLOYMENT).values().stream()
          .sorted(Comparator.comparing(d -> d.getString("DeploymentId"))).toList(), "DeploymentId"));
      case "UpdateDeployment" -> access.change(request, api -> {
        JsonObject deployment = find(api, request).copy();
        String description = Inputs.string(in, "Description");
        if (description != null) deployment.put("Description", HttpApis.checkDescription(description));
        return new HttpApiAccess.Change(new Changes().putChild(api.key(), DEPLOYMENT, deployment.getString("DeploymentId"),
            deployment), deployment, false);
      });
      case "DeleteDeployment" -> access.change(request, api -> {
        JsonObject deployment = find(api, request);
        String id = deployment.getString("DeploymentId");
        for (JsonObject stage : api.children(STAGE).values()) {
          if (id.equals(stage.getString("DeploymentId"))) {
            throw badRequest("Active stages pointing to this deployment must be moved or deleted");
          }
        }
        return new HttpApiAccess.Change(new Changes().deleteChild(api.key(), DEPLOYMENT, id).deleteChild(api.key(), SNAPSHOT, id),
            new JsonObject(), false);
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    String apiId = Inputs.string(in, "ApiId");
    String description = Inputs.string(in, "Description");
    if (description != null) HttpApis.checkDescription(description);
    String stageName = Inputs.string(in, "StageName");
    int partition = ApiIds.partitionOf(apiId);
    return access.table.serially(Math.max(partition, 0), () -> {
      Owner api = access.find(request.context(), apiId);
      if (api.children(ROUTE).isEmpty()) throw badRequest("Unable to deploy API because no routes exist in this API");
      JsonObject stage = null;
      if (stageName != null) {
        stage = api.child(STAGE, stageName);
        if (stage == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
        if (stage.getBoolean("AutoDeploy", false)) {
          throw badRequest("Cannot create a deployment for stage " + stageName + " because it has auto deploy enabled");
        }
      }
      String id = access.ids.childId();
      String now = access.now();
      JsonObject deployment = new JsonObject().put("AutoDeployed", false).put("CreatedDate", now).put("DeploymentId", id)
          .put("DeploymentStatus", "DEPLOYED");
      if (description != null) deployment.put("Description", description);
      Changes changes = new Changes().putChild(api.key(), DEPLOYMENT, id, deployment)
          .putChild(api.key(), SNAPSHOT, id, HttpApiAccess.snapshot(api));
      if (stage != null) {
        changes.putChild(api.key(), STAGE, stageName, stage.copy().put("DeploymentId", id).put("LastUpdatedDate", now));
      }
      return access.commit(partition, apiId, changes, s -> false).map(v -> deployment);
    });
  }

  private JsonObject find(Owner api, ApiRequest request) {
    String id = Inputs.string(request.input(), "DeploymentId");
    JsonObject deployment = id == null ? null : api.child(DEPLOYMENT, id);
    if (deployment == null) throw ApiGatewayErrors.childNotFound("Deployment", request.context().accountId(), id);
    return deployment;
  }
}
