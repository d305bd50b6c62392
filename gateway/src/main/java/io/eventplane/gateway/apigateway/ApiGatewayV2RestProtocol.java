package io.eventplane.gateway.apigateway;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * API Gateway v2's REST-JSON protocol (HTTP APIs, paths under {@code /v2/}, signed for
 * {@code apigateway}): finds the operation from the method and path, gathers its input from the
 * path labels, the query string and the JSON body (whose lower-camel-case names become the API
 * reference's, {@link WireNames}), and renders outputs back in lower camel case and errors as API
 * Gateway does ({@link ApiGatewayErrorMapper}).
 */
public final class ApiGatewayV2RestProtocol {
  private static final String APIS = "/v2/apis";
  private static final String API = APIS + "/{ApiId}";
  private static final List<ApiGatewayRoute> ROUTES = List.of(
      ApiGatewayRoute.of("CreateApi", "POST", APIS, 201),
      ApiGatewayRoute.of("GetApis", "GET", APIS, 200),
      ApiGatewayRoute.of("ImportApi", "PUT", APIS, 201),
      ApiGatewayRoute.of("ExportApi", "GET", APIS + "/{ApiId}/exports/{Specification}", 200),
      ApiGatewayRoute.of("ReimportApi", "PUT", API, 201),
      ApiGatewayRoute.of("GetApi", "GET", API, 200),
      ApiGatewayRoute.of("UpdateApi", "PATCH", API, 200),
      ApiGatewayRoute.of("DeleteApi", "DELETE", API, 204),
      ApiGatewayRoute.of("DeleteCorsConfiguration", "DELETE", API + "/cors", 204),
      ApiGatewayRoute.of("CreateRoute", "POST", API + "/routes", 201),
      ApiGatewayRoute.of("GetRoutes", "GET", API + "/routes", 200),
      ApiGatewayRoute.of("GetRoute", "GET", API + "/routes/{RouteId}", 200),
      ApiGatewayRoute.of("UpdateRoute", "PATCH", API + "/routes/{RouteId}", 200),
      ApiGatewayRoute.of("DeleteRoute", "DELETE", API + "/routes/{RouteId}", 204),
      ApiGatewayRoute.of("CreateIntegration", "POST", API + "/integrations", 201),
      ApiGatewayRoute.of("GetIntegrations", "GET", API + "/integrations", 200),
      ApiGatewayRoute.of("GetIntegration", "GET", API + "/integrations/{IntegrationId}", 200),
      ApiGatewayRoute.of("UpdateIntegration", "PATCH", API + "/integrations/{IntegrationId}", 200),
      ApiGatewayRoute.of("DeleteIntegration", "DELETE", API + "/integrations/{IntegrationId}", 204),
      ApiGatewayRoute.of("CreateStage", "POST", API + "/stages", 201),
      ApiGatewayRoute.of("GetStages", "GET", API + "/stages", 200),
      ApiGatewayRoute.of("GetStage", "GET", API + "/stages/{StageName}", 200),
      ApiGatewayRoute.of("UpdateStage", "PATCH", API + "/stages/{StageName}", 200),
      ApiGatewayRoute.of("DeleteStage", "DELETE", API + "/stages/{StageName}", 204),
      ApiGatewayRoute.of("DeleteAccessLogSettings", "DELETE", API + "/stages/{StageName}/accesslogsettings", 204),
      ApiGatewayRoute.of("DeleteRouteSettings", "DELETE", API + "/stages/{StageName}/routesettings/{RouteKey}", 204),
      ApiGatewayRoute.of("ResetAuthorizersCache", "DELETE", API + "/stages/{StageName}/cache/authorizers", 204),
      ApiGatewayRoute.of("CreateDeployment", "POST", API + "/deployments", 201),
      ApiGatewayRoute.of("GetDeployments", "GET", API + "/deployments", 200),
      ApiGatewayRoute.of("GetDeployment", "GET", API + "/deployments/{DeploymentId}", 200),
      ApiGatewayRoute.of("UpdateDeployment", "PATCH", API + "/deployments/{DeploymentId}", 200),
      ApiGatewayRoute.of("DeleteDeployment", "DELETE", API + "/deployments/{DeploymentId}", 204),
      ApiGatewayRoute.of("CreateAuthorizer", "POST", API + "/authorizers", 201),
      ApiGatewayRoute.of("GetAuthorizers", "GET", API + "/authorizers", 200),
      ApiGatewayRoute.of("GetAuthorizer", "GET", API + "/authorizers/{AuthorizerId}", 200),
      ApiGatewayRoute.of("UpdateAuthorizer", "PATCH", API + "/authorizers/{AuthorizerId}", 200),
      ApiGatewayRoute.of("DeleteAuthorizer", "DELETE", API + "/authorizers/{AuthorizerId}", 204),
      ApiGatewayRoute.of("CreateRouteResponse", "POST", API + "/routes/{RouteId}/routeresponses", 201),
      ApiGatewayRoute.of("GetRouteResponses", "GET", API + "/routes/{RouteId}/routeresponses", 200),
      ApiGatewayRoute.of("GetRouteResponse", "GET", API + "/routes/{RouteId}/routeresponses/{RouteResponseId}", 200),
      ApiGatewayRoute.of("UpdateRouteResponse", "PATCH", API + "/routes/{RouteId}/routeresponses/{RouteResponseId}", 200),
      ApiGatewayRoute.of("DeleteRouteResponse", "DELETE", API + "/routes/{RouteId}/routeresponses/{RouteResponseId}", 204),
      ApiGatewayRoute.of("CreateIntegrationResponse", "POST", API + "/integrations/{IntegrationId}/integrationresponses", 201),
      ApiGatewayRoute.of("GetIntegrationResponses", "GET", API + "/integrations/{IntegrationId}/integrationresponses", 200),
      ApiGatewayRoute.of("GetIntegrationResponse", "GET",
          API + "/integrations/{IntegrationId}/integrationresponses/{IntegrationResponseId}", 200),
      ApiGatewayRoute.of("UpdateIntegrationResponse", "PATCH",
          API + "/integrations/{IntegrationId}/integrationresponses/{IntegrationResponseId}", 200),
      ApiGatewayRoute.of("DeleteIntegrationResponse", "DELETE",
          API + "/integrations/{IntegrationId}/integrationresponses/{IntegrationResponseId}", 204),
      ApiGatewayRoute.of("CreateModel", "POST", API + "/models", 201),
      ApiGatewayRoute.of("GetModels", "GET", API + "/models", 200),
      ApiGatewayRoute.of("GetModel", "GET", API + "/models/{ModelId}", 200),
      ApiGatewayRoute.of("GetModelTemplate", "GET", API + "/models/{ModelId}/template", 200),
      ApiGatewayRoute.of("UpdateModel", "PATCH", API + "/models/{ModelId}", 200),
      ApiGatewayRoute.of("DeleteModel", "DELETE", API + "/models/{ModelId}", 204),
      ApiGatewayRoute.of("CreateDomainName", "POST", "/v2/domainnames", 201),
      ApiGatewayRoute.of("GetDomainNames", "GET", "/v2/domainnames", 200),
      ApiGatewayRoute.of("GetDomainName", "GET", "/v2/domainnames/{DomainName}", 200),
      ApiGatewayRoute.of("UpdateDomainName", "PATCH", "/v2/domainnames/{DomainName}", 200),
      ApiGatewayRoute.of("DeleteDomainName", "DELETE", "/v2/domainnames/{DomainName}", 204),
      ApiGatewayRoute.of("CreateApiMapping", "POST", "/v2/domainnames/{DomainName}/apimappings", 201),
      ApiGatewayRoute.of("GetApiMappings", "GET", "/v2/domainnames/{DomainName}/apimappings", 200),
      ApiGatewayRoute.of("GetApiMapping", "GET", "/v2/domainnames/{DomainName}/apimappings/{ApiMappingId}", 200),
      ApiGatewayRoute.of("UpdateApiMapping", "PATCH", "/v2/domainnames/{DomainName}/apimappings/{ApiMappingId}", 200),
      ApiGatewayRoute.of("DeleteApiMapping", "DELETE", "/v2/domainnames/{DomainName}/apimappings/{ApiMappingId}", 204),
      ApiGatewayRoute.of("CreateVpcLink", "POST", "/v2/vpclinks", 201),
      ApiGatewayRoute.of("GetVpcLinks", "GET", "/v2/vpclinks", 200),
      ApiGatewayRoute.of("GetVpcLink", "GET", "/v2/vpclinks/{VpcLinkId}", 200),
      ApiGatewayRoute.of("UpdateVpcLink", "PATCH", "/v2/vpclinks/{VpcLinkId}", 200),
      ApiGatewayRoute.of("DeleteVpcLink", "DELETE", "/v2/vpclinks/{VpcLinkId}", 202),
      ApiGatewayRoute.of("TagResource", "POST", "/v2/tags/{ResourceArn}", 201),
      ApiGatewayRoute.of("GetTags", "GET", "/v2/tags/{ResourceArn}", 200),
      ApiGatewayRoute.of("UntagResource", "DELETE", "/v2/tags/{ResourceArn}", 204));
  /** Query parameters and the members they fill. */
  private static final Map<String, String> QUERY = Map.of("maxResults", "MaxResults", "nextToken", "NextToken",
      "basepath", "Basepath", "failOnWarnings", "FailOnWarnings",
      "outputType", "OutputType", "stageName", "StageName", "exportVersion", "ExportVersion", "includeExtensions", "IncludeExtensions");

  public static final RestJsonBinding BINDING = new RestJsonBinding("apigateway", Contracts.APIGATEWAY,
      ApiGatewayErrorMapper.ERRORS, ApiGatewayV2RestProtocol::isV2Path, ApiGatewayV2RestProtocol::route, Map.of(),
      ApiGatewayErrorMapper::render);

  private ApiGatewayV2RestProtocol() {}

  /** Every operation this protocol routes, with its method and path (IAM authorizes the method on the path). */
  public static List<ApiGatewayRoute> allRoutes() {
    return ROUTES;
  }

  public static boolean isV2Path(String path) {
    return path.startsWith("/v2/");
  }

  public static Call route(String method, String path) {
    for (ApiGatewayRoute r : ROUTES) {
      Map<String, String> labels = r.match(method, path);
      if (labels != null) return new Call(r, labels);
    }
    return null;
  }

  /** A request matched to its operation. */
  public record Call(ApiGatewayRoute route, Map<String, String> labels) implements ApiGatewayCall {
    @Override
    public JsonObject input(MultiMap query, MultiMap headers, Buffer body) {
      JsonObject in = WireNames.toMembers(body(body));
      QUERY.forEach((param, member) -> {
        String v = query.get(param);
        if (v != null) in.put(member, v);
      });
      labels.forEach((label, raw) -> in.put(label, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)));
      if (route.operation().equals("UntagResource")) in.put("TagKeys", new JsonArray(query.getAll("tagKeys")));
      return in;
    }

    @Override
    public WireResponse success(JsonObject output, String requestId) {
      int status = route.successStatus();
      if (route.operation().equals("ExportApi")) {
        // The answer is the document itself (the SDK's ExportApiResponse is a blob).
        return new WireResponse(status, output.getString("ContentType"), output.getString("Body"), Map.of("x-amzn-RequestId", requestId));
      }
      return new WireResponse(status, "application/json", status == 204 ? "" : WireNames.toWire(output).encode(),
          Map.of("x-amzn-RequestId", requestId));
    }
  }

  /** The JSON object of a body; an empty body is none. */
  static JsonObject body(Buffer body) {
    if (body.length() == 0) return new JsonObject();
    String text = body.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) return new JsonObject();
    if (!text.startsWith("{")) throw new ServiceException("BadRequestException", "Could not parse request body into json: the body is not a JSON object");
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ServiceException("BadRequestException", "Could not parse request body into json: " + e.getMessage().split("\n")[0]);
    }
  }
}
