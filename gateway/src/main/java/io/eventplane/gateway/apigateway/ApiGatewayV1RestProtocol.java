package io.eventplane.gateway.apigateway;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway v1's REST-JSON protocol (REST APIs, API keys, usage plans, domain names: paths
 * {@code /restapis}, {@code /apikeys}, {@code /usageplans}, {@code /domainnames}, {@code /tags/...}, signed for {@code apigateway}): finds the
 * operation from the method and path, gathers its input from the path labels, the query string and
 * the JSON body. v1's members are lower camel case on the wire and in the API reference alike, so
 * they pass as they are, but for two names the wire spells differently: a list's {@code items} are
 * {@code item} on the wire, and PutIntegration's body {@code httpMethod} is its
 * {@code integrationHttpMethod} (the path's {@code httpMethod} is the method's). Errors as API
 * Gateway sends them ({@link ApiGatewayErrorMapper}).
 */
public final class ApiGatewayV1RestProtocol {
  private static final Set<String> PREFIXES = Set.of("/restapis", "/apikeys", "/usageplans", "/tags/", "/domainnames",
      "/account", "/clientcertificates", "/vpclinks", "/sdktypes");
  private static final String API = "/restapis/{restApiId}";
  private static final String RESOURCE = API + "/resources/{resourceId}";
  private static final String METHOD = RESOURCE + "/methods/{httpMethod}";
  private static final String PLAN = "/usageplans/{usagePlanId}";
  private static final String DOMAIN = "/domainnames/{domainName}";
  private static final List<ApiGatewayRoute> ROUTES = routes();
  /** Query parameters and the members they fill. */
  private static final Map<String, String> QUERY = Map.of("position", "position", "limit", "limit",
      "includeValue", "includeValue", "includeValues", "includeValues", "name", "nameQuery", "customerId", "customerId",
      "keyId", "keyId", "deploymentId", "deploymentId", "flatten", "flatten",
      "resourceOwner", "resourceOwner");
  /** Query parameters that may repeat, filling a list. */
  private static final Set<String> LIST_QUERY = Set.of("embed", "tagKeys");

  public static final RestJsonBinding BINDING = new RestJsonBinding("apigateway", Contracts.APIGATEWAY,
      ApiGatewayErrorMapper.ERRORS, ApiGatewayV1RestProtocol::isV1Path, new RestJsonBinding.Routes() {
        @Override
        public Call route(String method, String path) {
          return ApiGatewayV1RestProtocol.route(method, path);
        }

        @Override
        public Call route(String method, String path, MultiMap query) {
          return ApiGatewayV1RestProtocol.route(method, path, query);
        }
      }, Map.of(), ApiGatewayErrorMapper::render);
  /** ImportRestApi: CreateRestApi's method and path with {@code mode=import}. */
  private static final ApiGatewayRoute IMPORT = ApiGatewayRoute.of("ImportRestApi", "POST", "/restapis", 201);
  /** Operations whose body is an OpenAPI document, not JSON members. */
  private static final Set<String> DOCUMENT_BODY = Set.of("ImportRestApi", "PutRestApi");

  private ApiGatewayV1RestProtocol() {}

  /** Every operation this protocol routes, with its method and path (IAM authorizes the method on the path). */
  public static List<ApiGatewayRoute> allRoutes() {
    List<ApiGatewayRoute> all = new ArrayList<>(ROUTES);
    all.add(IMPORT);
    return List.copyOf(all);
  }

  private static List<ApiGatewayRoute> routes() {
    List<ApiGatewayRoute> r = new ArrayList<>();
    crud(r, "RestApi", "/restapis", API, 202);
    r.add(ApiGatewayRoute.of("PutRestApi", "PUT", API, 200));
    r.add(ApiGatewayRoute.of("GetExport", "GET", API + "/stages/{stageName}/exports/{exportType}", 200));
    crud(r, "Resource", API + "/resources", RESOURCE, 202);
    r.add(ApiGatewayRoute.of("CreateResource", "POST", API + "/resources/{parentId}", 201));
    r.removeIf(x -> x.operation().equals("CreateResource") && x.template().equals(API + "/resources"));
    put(r, "Method", METHOD, 204);
    put(r, "MethodResponse", METHOD + "/responses/{statusCode}", 204);
    put(r, "Integration", METHOD + "/integration", 204);
    put(r, "IntegrationResponse", METHOD + "/integration/responses/{statusCode}", 204);
    crud(r, "Deployment", API + "/deployments", API + "/deployments/{deploymentId}", 202);
    crud(r, "Stage", API + "/stages", API + "/stages/{stageName}", 202);
    crud(r, "Authorizer", API + "/authorizers", API + "/authorizers/{authorizerId}", 202);
    crud(r, "RequestValidator", API + "/requestvalidators", API + "/requestvalidators/{requestValidatorId}", 202);
    crud(r, "Model", API + "/models", API + "/models/{modelName}", 202);
    crud(r, "ApiKey", "/apikeys", "/apikeys/{apiKey}", 202);
    crud(r, "UsagePlan", "/usageplans", PLAN, 202);
    crud(r, "DomainName", "/domainnames", DOMAIN, 202);
    crud(r, "BasePathMapping", DOMAIN + "/basepathmappings", DOMAIN + "/basepathmappings/{basePath}", 202);
    r.add(ApiGatewayRoute.of("CreateUsagePlanKey", "POST", PLAN + "/keys", 201));
    r.add(ApiGatewayRoute.of("GetUsagePlanKeys", "GET", PLAN + "/keys", 200));
    r.add(ApiGatewayRoute.of("GetUsagePlanKey", "GET", PLAN + "/keys/{keyId}", 200));
    r.add(ApiGatewayRoute.of("DeleteUsagePlanKey", "DELETE", PLAN + "/keys/{keyId}", 202));
    r.add(ApiGatewayRoute.of("GetAccount", "GET", "/account", 200));
    r.add(ApiGatewayRoute.of("UpdateAccount", "PATCH", "/account", 200));
    r.add(ApiGatewayRoute.of("TagResource", "PUT", "/tags/{resourceArn}", 204));
    r.add(ApiGatewayRoute.of("GetTags", "GET", "/tags/{resourceArn}", 200));
    r.add(ApiGatewayRoute.of("UntagResource", "DELETE", "/tags/{resourceArn}", 204));
    return List.copyOf(r);
  }

  /** Create (POST on the collection), Get/Update/Delete on an item, Get<plural> on the collection. */
  private static void crud(List<ApiGatewayRoute> r, String name, String collection, String item, int deleteStatus) {
    r.add(ApiGatewayRoute.of("Create" + name, "POST", collection, 201));
    r.add(ApiGatewayRoute.of("Get" + name + "s", "GET", collection, 200));
    r.add(ApiGatewayRoute.of("Get" + name, "GET", item, 200));
    r.add(ApiGatewayRoute.of("Update" + name, "PATCH", item, 200));
    r.add(ApiGatewayRoute.of("Delete" + name, "DELETE", item, deleteStatus));
  }

  /** Put/Get/Update/Delete on one item (a method, its integration, their responses). */
  private static void put(List<ApiGatewayRoute> r, String name, String item, int deleteStatus) {
    r.add(ApiGatewayRoute.of("Put" + name, "PUT", item, 201));
    r.add(ApiGatewayRoute.of("Get" + name, "GET", item, 200));
    r.add(ApiGatewayRoute.of("Update" + name, "PATCH", item, name.equals("MethodResponse") ? 201 : 200));
    r.add(ApiGatewayRoute.of("Delete" + name, "DELETE", item, deleteStatus));
  }

  public static boolean isV1Path(String path) {
    for (String p : PREFIXES) {
      if (path.startsWith(p) && (p.endsWith("/") || path.length() == p.length() || path.charAt(p.length()) == '/')) return true;
    }
    return false;
  }

  /** The request's operation: the path's, but ImportRestApi for {@code POST /restapis?mode=import}. */
  public static Call route(String method, String path, MultiMap query) {
    Call call = route(method, path);
    if (call != null && call.route().operation().equals("CreateRestApi") && "import".equals(query.get("mode"))) {
      return new Call(IMPORT, call.labels());
    }
    return call;
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
      String operation = route.operation();
      if (DOCUMENT_BODY.contains(operation) || operation.equals("GetExport")) return documentInput(query, headers, body);
      JsonObject in = ApiGatewayV2RestProtocol.body(body);
      if (route.operation().equals("PutIntegration") && in.containsKey("httpMethod")) {
        in.put("integrationHttpMethod", in.remove("httpMethod"));
      }
      QUERY.forEach((param, member) -> {
        String v = query.get(param);
        if (v != null) in.put(member, v);
      });
      for (String param : LIST_QUERY) {
        List<String> all = new ArrayList<>();
        for (String v : query.getAll(param)) for (String part : v.split(",")) if (!part.isEmpty()) all.add(part);
        if (!all.isEmpty()) in.put(param, new JsonArray(all));
      }
      labels.forEach((label, raw) -> in.put(label, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)));
      // v1 and v2 both have GetDomainNames; v1's always says whose names it lists.
      if (route.operation().equals("GetDomainNames") && !in.containsKey("resourceOwner")) in.put("resourceOwner", "SELF");
      return in;
    }

    /**
     * ImportRestApi and PutRestApi: the body is the document ({@code body}), {@code mode} and
     * {@code failonwarnings} are members, every other query parameter one of {@code parameters}
     * (the SDK's map in the query string: {@code endpointConfigurationTypes}, {@code basepath}...).
     * GetExport: its {@code Accept} header is {@code accepts}, the query its {@code parameters}
     * ({@code extensions=integrations,authorizers}).
     */
    private JsonObject documentInput(MultiMap query, MultiMap headers, Buffer body) {
      JsonObject in = new JsonObject();
      JsonObject parameters = new JsonObject();
      for (Map.Entry<String, String> e : query) {
        switch (e.getKey()) {
          case "mode" -> in.put("mode", e.getValue());
          case "failonwarnings" -> in.put("failOnWarnings", e.getValue());
          default -> parameters.put(e.getKey(), e.getValue());
        }
      }
      if (!parameters.isEmpty()) in.put("parameters", parameters);
      if (route.operation().equals("GetExport")) {
        if (headers.get("Accept") != null) in.put("accepts", headers.get("Accept"));
      } else {
        in.put("body", body.toString(StandardCharsets.UTF_8));
      }
      labels.forEach((label, raw) -> in.put(label, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)));
      return in;
    }

    @Override
    public WireResponse success(JsonObject output, String requestId) {
      int status = route.successStatus();
      if (route.operation().equals("GetExport")) {
        // The answer is the document itself, with its type and a file name (the SDK's body blob and headers).
        return new WireResponse(status, output.getString("contentType"), output.getString("body"),
            Map.of("x-amzn-RequestId", requestId, "Content-Disposition", output.getString("contentDisposition")));
      }
      JsonObject wire = output;
      if (output.containsKey("items")) {
        wire = output.copy();
        wire.put("item", wire.remove("items"));
      }
      return new WireResponse(status, "application/json", status == 204 || status == 202 ? "" : wire.encode(),
          Map.of("x-amzn-RequestId", requestId));
    }
  }
}
