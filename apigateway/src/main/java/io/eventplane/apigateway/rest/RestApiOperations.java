package io.eventplane.apigateway.rest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.api.DomainNameIndex;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;

/**
 * The operation table of API Gateway v1 (REST APIs): which handler answers which operation, and
 * which calls are v1's. Several operation names are both v1's and v2's (CreateDeployment,
 * GetStage, CreateAuthorizer, TagResource...); a call is v1's when it names a REST API
 * ({@code restApiId}) or a resource by {@code resourceArn} (v1's members are lower camel case,
 * v2's {@code ApiId}, {@code ResourceArn}), or is an account-wide v1 operation (REST APIs, API keys,
 * usage plans, base path mappings) or says {@code domainName} (v2: {@code DomainName});
 * {@code GetDeployedStage} is v1's when its {@code ApiId} is a REST API's.
 * Used only on the lane's context.
 */
public final class RestApiOperations {
  private static final Set<String> ACCOUNT_WIDE = Set.of("CreateRestApi", "ImportRestApi", "GetRestApis", "GetAccount", "UpdateAccount",
      "CreateApiKey", "GetApiKey", "GetApiKeys", "UpdateApiKey", "DeleteApiKey",
      "CreateUsagePlan", "GetUsagePlan", "GetUsagePlans", "UpdateUsagePlan", "DeleteUsagePlan",
      "CreateUsagePlanKey", "GetUsagePlanKey", "GetUsagePlanKeys", "DeleteUsagePlanKey",
      "CreateBasePathMapping", "GetBasePathMapping", "GetBasePathMappings", "UpdateBasePathMapping", "DeleteBasePathMapping");
  /**
   * Operations v1 and v2 share by name, about domain names: v1's when its input says
   * {@code domainName} (v2: {@code DomainName}) or, for GetDomainNames, {@code resourceOwner}, which
   * the v1 protocol always sets.
   */
  private static final Set<String> DOMAIN_NAMES = Set.of("CreateDomainName", "GetDomainName", "GetDomainNames",
      "UpdateDomainName", "DeleteDomainName");

  private final RestAccess access;
  private final RestApis apis;
  private final Resources resources;
  private final Methods methods;
  private final RestIntegrations integrations;
  private final RestStages stages;
  private final RestDeployments deployments;
  private final RestAuthorizers authorizers;
  private final RequestValidators validators;
  private final Models models;
  private final ApiKeys keys;
  private final UsagePlans plans;
  private final RestTags tags;
  private final RestDeployedStages deployed;
  private final AccountSettings account;
  private final RestApiImports imports;
  private final RestApiExports exports;

  private final RestDomainNames domainNames;

  /** {@code hostSuffix}: what follows {@code <apiId>.execute-api.} in invoke URLs (exports name their server). */
  public RestApiOperations(ApiTable table, Clock clock, ApiIds ids, EventBus bus, String hostSuffix, DomainNameIndex index) {
    this.access = new RestAccess(table, clock, ids, bus);
    this.apis = new RestApis(access);
    this.resources = new Resources(access);
    this.methods = new Methods(access);
    this.integrations = new RestIntegrations(access);
    this.stages = new RestStages(access);
    this.deployments = new RestDeployments(access, stages);
    this.authorizers = new RestAuthorizers(access);
    this.validators = new RequestValidators(access);
    this.models = new Models(access);
    this.keys = new ApiKeys(access);
    this.plans = new UsagePlans(access, keys);
    this.tags = new RestTags(access);
    this.deployed = new RestDeployedStages(access);
    this.account = new AccountSettings(access);
    this.imports = new RestApiImports(access, apis);
    this.exports = new RestApiExports(access, hostSuffix);
    this.domainNames = new RestDomainNames(access, index);
  }

  /** Whether the call is v1's (see the class's description). */
  public boolean claims(ApiRequest request) {
    JsonObject in = request.input();
    if (request.operation().equals("GetDeployedStage")) {
      return in != null && in.getValue("ApiId") instanceof String id && access.isRestApi(id);
    }
    if (DOMAIN_NAMES.contains(request.operation())) {
      return in != null && (in.containsKey("domainName") || in.containsKey("resourceOwner"));
    }
    return ACCOUNT_WIDE.contains(request.operation()) || (in != null && (in.containsKey("restApiId") || in.containsKey("resourceArn")));
  }

  public Future<JsonObject> handle(ApiRequest request) {
    RequestChecks.check(request);
    return switch (request.operation()) {
      case "CreateRestApi", "GetRestApi", "GetRestApis", "UpdateRestApi", "DeleteRestApi" -> apis.handle(request);
      case "ImportRestApi", "PutRestApi" -> imports.handle(request);
      case "GetExport" -> exports.export(request);
      case "CreateResource", "GetResource", "GetResources", "UpdateResource", "DeleteResource" -> resources.handle(request);
      case "PutMethod", "GetMethod", "UpdateMethod", "DeleteMethod", "PutMethodResponse", "GetMethodResponse",
          "UpdateMethodResponse", "DeleteMethodResponse" -> methods.handle(request);
      case "PutIntegration", "GetIntegration", "UpdateIntegration", "DeleteIntegration", "PutIntegrationResponse",
          "GetIntegrationResponse", "UpdateIntegrationResponse", "DeleteIntegrationResponse" -> integrations.handle(request);
      case "CreateStage", "GetStage", "GetStages", "UpdateStage", "DeleteStage" -> stages.handle(request);
      case "CreateDeployment", "GetDeployment", "GetDeployments", "UpdateDeployment", "DeleteDeployment" ->
          deployments.handle(request);
      case "CreateAuthorizer", "GetAuthorizer", "GetAuthorizers", "UpdateAuthorizer", "DeleteAuthorizer" ->
          authorizers.handle(request);
      case "CreateRequestValidator", "GetRequestValidator", "GetRequestValidators", "UpdateRequestValidator",
          "DeleteRequestValidator" -> validators.handle(request);
      case "CreateModel", "GetModel", "GetModels", "UpdateModel", "DeleteModel" -> models.handle(request);
      case "CreateApiKey", "GetApiKey", "GetApiKeys", "UpdateApiKey", "DeleteApiKey" -> keys.handle(request);
      case "CreateUsagePlan", "GetUsagePlan", "GetUsagePlans", "UpdateUsagePlan", "DeleteUsagePlan", "CreateUsagePlanKey",
          "GetUsagePlanKey", "GetUsagePlanKeys", "DeleteUsagePlanKey" -> plans.handle(request);
      case "TagResource", "UntagResource", "GetTags" -> tags.handle(request);
      case "GetAccount", "UpdateAccount" -> account.handle(request);
      case "GetDeployedStage" -> Future.succeededFuture(deployed.get(request));
      case "CreateDomainName", "GetDomainName", "GetDomainNames", "UpdateDomainName", "DeleteDomainName", "CreateBasePathMapping",
          "GetBasePathMapping", "GetBasePathMappings", "UpdateBasePathMapping", "DeleteBasePathMapping" ->
          domainNames.handle(request);
      default -> Future.failedFuture(io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest(
          "The operation " + request.operation() + " is not supported by this server"));
    };
  }
}
