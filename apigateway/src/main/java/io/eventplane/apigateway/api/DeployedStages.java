package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.api.HttpApiAccess.SNAPSHOT;
import static io.eventplane.apigateway.api.HttpApiAccess.STAGE;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.json.JsonObject;

/**
 * The bus operation {@code GetDeployedStage} the gateways' invoke plane asks once per node and
 * caches: what a stage serves, {@code {Kind, Account, Region, Api, Stage, Routes, Integrations,
 * Authorizers}} in the v2 Get* output shapes. An AutoDeploy stage serves the API as it is now,
 * another the API as of its deployment. Any caller may ask (an invoke URL names no account):
 * NotFoundException when there is no such API or stage, or the stage has no deployment yet.
 */
public final class DeployedStages {
  private final HttpApiAccess access;

  DeployedStages(HttpApiAccess access) {
    this.access = access;
  }

  public JsonObject get(ApiRequest request) {
    String apiId = Inputs.string(request.input(), "ApiId");
    String stageName = Inputs.string(request.input(), "StageName");
    Owner api = access.findAnywhere(apiId);
    if (api == null) throw ApiGatewayErrors.notFound("Invalid API identifier specified " + apiId);
    JsonObject stage = stageName == null ? null : api.child(STAGE, stageName);
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    JsonObject definition;
    if (stage.getBoolean("AutoDeploy", false)) {
      definition = HttpApiAccess.snapshot(api);
    } else {
      String deployment = stage.getString("DeploymentId");
      definition = deployment == null ? null : api.child(SNAPSHOT, deployment);
      if (definition == null) throw ApiGatewayErrors.notFound("Stage " + stageName + " has no deployment");
      definition = definition.copy();
    }
    // The API's own settings (CORS, DisableExecuteApiEndpoint) take effect when deployed, as on AWS.
    JsonObject deployedApi = definition.getJsonObject("Api");
    return new JsonObject().put("Kind", "HTTP").put("Account", api.record().getString("Account"))
        .put("Region", api.record().getString("Region")).put("Api", access.apiOutput(deployedApi, request.context()))
        .put("Stage", stage.copy()).put("Routes", definition.getJsonArray("Routes"))
        .put("Integrations", definition.getJsonArray("Integrations")).put("Authorizers", definition.getJsonArray("Authorizers"));
  }
}
