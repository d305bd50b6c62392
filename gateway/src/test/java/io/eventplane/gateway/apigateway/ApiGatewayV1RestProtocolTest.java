package io.eventplane.gateway.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ApiGatewayV1RestProtocolTest {
  private static JsonObject input(String method, String path, MultiMap query, String body) {
    ApiGatewayV1RestProtocol.Call call = ApiGatewayV1RestProtocol.route(method, path);
    assertThat(call).as(method + " " + path).isNotNull();
    return call.input(query, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
  }

  @Test
  void pathsOfV1AreItsOwn() {
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/restapis")).isTrue();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/restapis/abc/resources")).isTrue();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/apikeys/k")).isTrue();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/usageplans")).isTrue();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/tags/arn%3Aaws")).isTrue();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/restapisfoo")).isFalse();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/v2/apis")).isFalse();
    assertThat(ApiGatewayV1RestProtocol.isV1Path("/my-bucket/key")).isFalse();
  }

  @Test
  void operationsByMethodAndPath() {
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/restapis").operation()).isEqualTo("CreateRestApi");
    assertThat(ApiGatewayV1RestProtocol.route("GET", "/restapis/").operation()).isEqualTo("GetRestApis");
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/restapis/a/resources/r").operation()).isEqualTo("CreateResource");
    assertThat(ApiGatewayV1RestProtocol.route("GET", "/restapis/a/resources/r").operation()).isEqualTo("GetResource");
    assertThat(ApiGatewayV1RestProtocol.route("PUT", "/restapis/a/resources/r/methods/GET/integration/responses/200").operation())
        .isEqualTo("PutIntegrationResponse");
    assertThat(ApiGatewayV1RestProtocol.route("PATCH", "/restapis/a/resources/r/methods/GET/responses/200").operation())
        .isEqualTo("UpdateMethodResponse");
    assertThat(ApiGatewayV1RestProtocol.route("DELETE", "/usageplans/p/keys/k").operation()).isEqualTo("DeleteUsagePlanKey");
    assertThat(ApiGatewayV1RestProtocol.route("PUT", "/tags/arn").operation()).isEqualTo("TagResource");
    assertThat(ApiGatewayV1RestProtocol.route("GET", "/restapis/a/nothing")).isNull();
    assertThat(ApiGatewayV1RestProtocol.route("PUT", "/restapis")).isNull();
  }

  @Test
  void inputFromLabelsQueryAndBody() {
    JsonObject in = input("PUT", "/restapis/abc/resources/r1/methods/POST/integration", MultiMap.caseInsensitiveMultiMap(),
        "{\"type\": \"AWS\", \"httpMethod\": \"POST\", \"uri\": \"arn\"}");
    assertThat(in.getString("restApiId")).isEqualTo("abc");
    assertThat(in.getString("resourceId")).isEqualTo("r1");
    assertThat(in.getString("httpMethod")).isEqualTo("POST");
    assertThat(in.getString("integrationHttpMethod")).isEqualTo("POST");

    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("embed", "methods").add("limit", "5").add("position", "p")
        .add("name", "prefix").add("tagKeys", "a").add("tagKeys", "b");
    JsonObject list = input("GET", "/restapis/abc/resources", query, "");
    assertThat(list.getJsonArray("embed")).isEqualTo(new JsonArray().add("methods"));
    assertThat(list.getString("limit")).isEqualTo("5");
    assertThat(list.getString("position")).isEqualTo("p");
    assertThat(list.getString("nameQuery")).isEqualTo("prefix");
    assertThat(list.getJsonArray("tagKeys")).containsExactly("a", "b");

    JsonObject tags = input("GET", "/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fabc", MultiMap.caseInsensitiveMultiMap(), "");
    assertThat(tags.getString("resourceArn")).isEqualTo("arn:aws:apigateway:us-east-1::/restapis/abc");
  }

  @Test
  void listsAreItemOnTheWireAndDeletesHaveNoBody() {
    var list = ApiGatewayV1RestProtocol.route("GET", "/restapis").success(new JsonObject().put("items", new JsonArray().add(1))
        .put("position", "p"), "req");
    assertThat(new JsonObject(list.body())).isEqualTo(new JsonObject().put("item", new JsonArray().add(1)).put("position", "p"));
    var deleted = ApiGatewayV1RestProtocol.route("DELETE", "/restapis/a").success(new JsonObject(), "req");
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(deleted.body()).isEmpty();
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/restapis").success(new JsonObject().put("id", "x"), "req").status())
        .isEqualTo(201);
  }

  @Test
  void documentsInAndOut() {
    MultiMap importQuery = MultiMap.caseInsensitiveMultiMap().add("mode", "import").add("failonwarnings", "true")
        .add("endpointConfigurationTypes", "REGIONAL").add("basepath", "prepend");
    ApiGatewayV1RestProtocol.Call call = ApiGatewayV1RestProtocol.route("POST", "/restapis", importQuery);
    assertThat(call.operation()).isEqualTo("ImportRestApi");
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/restapis", MultiMap.caseInsensitiveMultiMap()).operation())
        .isEqualTo("CreateRestApi");
    String yaml = "openapi: 3.0.1\ninfo: {title: x}\n";
    JsonObject in = call.input(importQuery, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(yaml));
    assertThat(in).isEqualTo(new JsonObject().put("mode", "import").put("failOnWarnings", "true").put("body", yaml)
        .put("parameters", new JsonObject().put("endpointConfigurationTypes", "REGIONAL").put("basepath", "prepend")));

    JsonObject put = input("PUT", "/restapis/abc", MultiMap.caseInsensitiveMultiMap().add("mode", "overwrite"), "{}");
    assertThat(put).isEqualTo(new JsonObject().put("mode", "overwrite").put("body", "{}").put("restApiId", "abc"));

    ApiGatewayV1RestProtocol.Call export = ApiGatewayV1RestProtocol.route("GET", "/restapis/abc/stages/prod/exports/oas30");
    assertThat(export.operation()).isEqualTo("GetExport");
    JsonObject exportIn = export.input(MultiMap.caseInsensitiveMultiMap().add("extensions", "apigateway"),
        MultiMap.caseInsensitiveMultiMap().add("Accept", "application/yaml"), Buffer.buffer());
    assertThat(exportIn).isEqualTo(new JsonObject().put("parameters", new JsonObject().put("extensions", "apigateway"))
        .put("accepts", "application/yaml").put("restApiId", "abc").put("stageName", "prod").put("exportType", "oas30"));
    var answer = export.success(new JsonObject().put("body", "openapi: 3.0.1\n").put("contentType", "application/yaml")
        .put("contentDisposition", "attachment; filename=\"oas30_prod.yaml\""), "r1");
    assertThat(answer.body()).isEqualTo("openapi: 3.0.1\n");
    assertThat(answer.contentType()).isEqualTo("application/yaml");
    assertThat(answer.headers()).containsEntry("Content-Disposition", "attachment; filename=\"oas30_prod.yaml\"");
  }

  @Test
  void domainNamesAndBasePathMappings() {
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/domainnames").operation()).isEqualTo("CreateDomainName");
    assertThat(ApiGatewayV1RestProtocol.route("PATCH", "/domainnames/api.example.com").operation()).isEqualTo("UpdateDomainName");
    assertThat(ApiGatewayV1RestProtocol.route("DELETE", "/domainnames/api.example.com").success(new JsonObject(), "r").status())
        .isEqualTo(202);
    assertThat(ApiGatewayV1RestProtocol.route("POST", "/domainnames/api.example.com/basepathmappings").operation())
        .isEqualTo("CreateBasePathMapping");
    JsonObject none = input("GET", "/domainnames/api.example.com/basepathmappings/%28none%29", MultiMap.caseInsensitiveMultiMap(), "");
    assertThat(none.getString("domainName")).isEqualTo("api.example.com");
    assertThat(none.getString("basePath")).isEqualTo("(none)");
    // v1's GetDomainNames always says whose names it lists: that is how the lane tells it from v2's.
    assertThat(input("GET", "/domainnames", MultiMap.caseInsensitiveMultiMap(), "").getString("resourceOwner")).isEqualTo("SELF");
    assertThat(input("GET", "/domainnames", MultiMap.caseInsensitiveMultiMap().add("resourceOwner", "OTHER_ACCOUNTS"), "")
        .getString("resourceOwner")).isEqualTo("OTHER_ACCOUNTS");
  }
}
