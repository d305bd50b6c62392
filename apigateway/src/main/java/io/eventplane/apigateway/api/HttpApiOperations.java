package io.eventplane.apigateway.api;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * The operation table of API Gateway v2 (HTTP APIs) and the bus operation {@code GetDeployedStage}:
 * which handler answers which operation. Used only on the lane's context.
 */
public final class HttpApiOperations {
  private final HttpApiAccess access;
  private final HttpApis apis;
  private final Routes routes;
  private final Integrations integrations;
  private final Stages stages;
  private final Deployments deployments;
  private final Authorizers authorizers;
  private final DomainNames domainNames;
  private final TagOperations tags;
  private final VpcLinks vpcLinks;
  private final DeployedStages deployed;
  private final HttpApiExports exports;

  public HttpApiOperations(ApiTable table, Clock clock, ApiIds ids, EventBus bus, String hostSuffix, DomainNameIndex index) {
    this.access = new HttpApiAccess(table, clock, ids, bus, hostSuffix);
    this.apis = new HttpApis(access);
    this.routes = new Routes(access);
    this.integrations = new Integrations(access);
    this.stages = new Stages(access);
    this.deployments = new Deployments(access);
    this.authorizers = new Authorizers(access);
    this.domainNames = new DomainNames(access, index);
    this.tags = new TagOperations(access);
    this.vpcLinks = new VpcLinks(access);
    this.deployed = new DeployedStages(access);
    this.exports = new HttpApiExports(access);
  }

  /**
   * Route and integration responses and models belong to WebSocket APIs: asked of an HTTP API (the
   * only kind here) they are BadRequestException, once the API is known to be the caller's.
   */
  private Future<JsonObject> webSocketOnly(ApiRequest request) {
    access.find(request);
    String what = request.operation().contains("RouteResponse") ? "Route responses"
        : request.operation().contains("IntegrationResponse") ? "Integration responses" : "Models";
    return Future.failedFuture(new ServiceException(ServiceError.sender("BadRequestException",
        what + " are supported only for WebSocket APIs")));
  }

  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateApi", "GetApi", "GetApis", "UpdateApi", "DeleteApi", "DeleteCorsConfiguration", "ImportApi",
          "ReimportApi" -> apis.handle(request);
      case "CreateRoute", "GetRoute", "GetRoutes", "UpdateRoute", "DeleteRoute" -> routes.handle(request);
      case "CreateIntegration", "GetIntegration", "GetIntegrations", "UpdateIntegration", "DeleteIntegration" ->
          integrations.handle(request);
      case "CreateStage", "GetStage", "GetStages", "UpdateStage", "DeleteStage", "DeleteRouteSettings",
          "DeleteAccessLogSettings", "ResetAuthorizersCache" -> stages.handle(request);
      case "CreateDeployment", "GetDeployment", "GetDeployments", "UpdateDeployment", "DeleteDeployment" ->
          deployments.handle(request);
      case "CreateAuthorizer", "GetAuthorizer", "GetAuthorizers", "UpdateAuthorizer", "DeleteAuthorizer" ->
          authorizers.handle(request);
      case "CreateDomainName", "GetDomainName", "GetDomainNames", "UpdateDomainName", "DeleteDomainName", "CreateApiMapping",
          "GetApiMapping", "GetApiMappings", "UpdateApiMapping", "DeleteApiMapping" -> domainNames.handle(request);
      case "TagResource", "UntagResource", "GetTags" -> tags.handle(request);
      case "CreateVpcLink", "GetVpcLink", "GetVpcLinks", "UpdateVpcLink", "DeleteVpcLink" -> vpcLinks.handle(request);
      case "CreateRouteResponse", "GetRouteResponses", "GetRouteResponse", "UpdateRouteResponse", "DeleteRouteResponse",
          "CreateIntegrationResponse", "GetIntegrationResponses", "GetIntegrationResponse", "UpdateIntegrationResponse",
          "DeleteIntegrationResponse", "CreateModel", "GetModels", "GetModel", "GetModelTemplate", "UpdateModel",
          "DeleteModel" -> webSocketOnly(request);
      case "GetDeployedStage" -> Future.succeededFuture(deployed.get(request));
      case "ExportApi" -> exports.export(request);
      default -> Future.failedFuture(new ServiceException(ServiceError.sender("BadRequestException",
          "The operation " + request.operation() + " is not supported by this server")));
    };
  }
}
