package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.rest.RestAccess.PLAN_KEY;
import static io.eventplane.apigateway.rest.RestAccess.SNAPSHOT;
import static io.eventplane.apigateway.rest.RestAccess.STAGE;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bus operation {@code GetDeployedStage} for a REST API's stage: {@code {Kind: "REST", Account,
 * Region, RestApi, Stage, Resources, Authorizers, RequestValidators, Models, UsagePlans, ApiKeys}}.
 * The API's definition (RestApi, Resources with their methods, integrations and responses
 * embedded, Authorizers, RequestValidators, Models) is as of the stage's deployment; the stage as it
 * is now. {@code UsagePlans} are the account's plans covering this stage (GetUsagePlan outputs,
 * {@code apiStages} cut to this stage's entry), {@code ApiKeys} the keys of those plans (GetApiKey
 * outputs with their {@code value} and the {@code usagePlanId} they are in) for x-api-key checks:
 * both live in the account's partition, which is the API's (an API's id names the partition of its
 * creator's account and region), so they are read here, in the same turn. An unknown stage of a
 * REST API is a NotFoundException whose details say {@code {"Kind": "REST"}}.
 */
final class RestDeployedStages {
  private final RestAccess access;

  RestDeployedStages(RestAccess access) {
    this.access = access;
  }

  /**
   * NotFoundException for a stage this REST API does not serve, with {@code {"Kind": "REST"}} in its
   * details: the invoke plane answers a REST API's unknown stage 403 Forbidden, not an HTTP API's 404.
   */
  private static io.eventplane.common.error.ServiceException noStage(String message) {
    return new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError
        .sender("NotFoundException", message).with(new JsonObject().put("Kind", RestAccess.KIND)));
  }

  JsonObject get(ApiRequest request) {
    String apiId = RestInputs.string(request.input(), "ApiId");
    String stageName = RestInputs.string(request.input(), "StageName");
    Owner api = access.findAnywhere(apiId);
    if (api == null) throw ApiGatewayErrors.notFound("Invalid API identifier specified " + apiId);
    JsonObject stage = stageName == null ? null : api.child(STAGE, stageName);
    if (stage == null) throw noStage("Invalid stage identifier specified");
    JsonObject snapshot = api.child(SNAPSHOT, stage.getString("deploymentId"));
    if (snapshot == null) throw noStage("Stage " + stageName + " has no deployment");
    String account = api.record().getString("Account");
    String region = api.record().getString("Region");
    JsonArray plans = new JsonArray();
    JsonArray keys = new JsonArray();
    for (Owner plan : access.accountOwners("u", account, region)) {
      JsonObject p = plan.record().getJsonObject("UsagePlan");
      JsonObject entry = null;
      for (Object s : p.getJsonArray("apiStages", new JsonArray())) {
        JsonObject j = (JsonObject) s;
        if (apiId.equals(j.getString("apiId")) && stageName.equals(j.getString("stage"))) entry = j;
      }
      if (entry == null) continue;
      plans.add(p.copy().put("apiStages", new JsonArray().add(entry.copy())));
      for (String keyId : plan.children(PLAN_KEY).keySet()) {
        Owner key = access.table.get(io.eventplane.apigateway.ApiIds.partitionOf(apiId), RestAccess.keyOwner(account, region, keyId));
        if (key != null) keys.add(key.record().getJsonObject("ApiKey").copy().put("usagePlanId", p.getString("id")));
      }
    }
    return new JsonObject().put("Kind", RestAccess.KIND).put("Account", account).put("Region", region)
        .put("RestApi", snapshot.getJsonObject("RestApi").copy()).put("Stage", stage.copy())
        .put("Resources", snapshot.getJsonArray("Resources").copy())
        .put("Authorizers", snapshot.getJsonArray("Authorizers").copy())
        .put("RequestValidators", snapshot.getJsonArray("RequestValidators").copy())
        .put("Models", snapshot.getJsonArray("Models").copy())
        .put("UsagePlans", plans).put("ApiKeys", keys);
  }
}
