package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proxy events of payload formats 2.0 and 1.0 against the developer guide's examples ("Working
 * with AWS Lambda proxy integrations for HTTP APIs"), built from the request those examples
 * describe. The guide's examples differ in two places that are its own slips: its 2.0 {@code time}
 * says 12/Mar for a timeEpoch of 4 March, and its header names are capitalised where the guide says
 * "all header names are lowercase"; the expectations follow the epoch and the rule.
 */
class LambdaProxyEventsTest {
  private static final long EPOCH = 1583348638390L;
  private static final JsonObject ROUTE = new JsonObject().put("RouteId", "r1").put("RouteKey", "$default");

  private static InvokeRequest request(String method, List<Map.Entry<String, String>> headers, String body) {
    return new InvokeRequest("id", method, "/my/path", "parameter1=value1&parameter1=value2&parameter2=value", headers,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), "IP", "HTTP/1.1",
        "id.execute-api.us-east-1.amazonaws.com", "id", EPOCH);
  }

  private static final List<Map.Entry<String, String>> HEADERS = List.of(Map.entry("Header1", "value1"),
      Map.entry("Header2", "value1"), Map.entry("Header2", "value2"), Map.entry("Cookie", "cookie1; cookie2"),
      Map.entry("User-Agent", "agent"), Map.entry("Content-Type", "text/plain"));

  @Test
  void format20IsTheGuidesExample() {
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope("123456789012", "$default",
        new RouteSelection.Match(ROUTE, Map.of("parameter1", "value1")),
        new java.util.LinkedHashMap<>(Map.of("stageVariable1", "value1")));
    JsonObject event = LambdaProxyEvents.v2(request("POST", HEADERS, "Hello from Lambda"), scope, null);
    JsonObject expected = new JsonObject("""
        {
          "version": "2.0",
          "routeKey": "$default",
          "rawPath": "/my/path",
          "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
          "cookies": ["cookie1", "cookie2"],
          "headers": {"header1": "value1", "header2": "value1,value2", "user-agent": "agent", "content-type": "text/plain"},
          "queryStringParameters": {"parameter1": "value1,value2", "parameter2": "value"},
          "requestContext": {
            "accountId": "123456789012",
            "apiId": "id",
            "domainName": "id.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "id",
            "http": {"method": "POST", "path": "/my/path", "protocol": "HTTP/1.1", "sourceIp": "IP", "userAgent": "agent"},
            "requestId": "id",
            "routeKey": "$default",
            "stage": "$default",
            "time": "04/Mar/2020:19:03:58 +0000",
            "timeEpoch": 1583348638390
          },
          "body": "Hello from Lambda",
          "pathParameters": {"parameter1": "value1"},
          "isBase64Encoded": false,
          "stageVariables": {"stageVariable1": "value1"}
        }""");
    assertThat(event).isEqualTo(expected);
    assertThat(List.copyOf(event.fieldNames())).containsExactlyElementsOf(expected.fieldNames());
  }

  @Test
  void format20LeavesOutWhatIsEmptyAndCarriesTheAuthorizer() {
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope("123456789012", "prod",
        new RouteSelection.Match(new JsonObject().put("RouteKey", "GET /my/path"), Map.of()), Map.of());
    InvokeRequest bare = new InvokeRequest("id", "GET", "/prod/my/path", "", List.of(), null, "IP", "HTTP/1.1",
        "id.execute-api.us-east-1.amazonaws.com", "id", EPOCH);
    JsonObject authorizer = new JsonObject().put("lambda", new JsonObject().put("user", "u1"));
    JsonObject event = LambdaProxyEvents.v2(bare, scope, authorizer);
    assertThat(event.fieldNames()).containsExactlyInAnyOrder("version", "routeKey", "rawPath", "rawQueryString", "headers",
        "requestContext", "isBase64Encoded");
    assertThat(event.getString("rawPath")).isEqualTo("/prod/my/path");
    assertThat(event.getJsonObject("requestContext").getJsonObject("authorizer")).isEqualTo(authorizer);
    assertThat(event.getJsonObject("requestContext").getString("stage")).isEqualTo("prod");
    assertThat(event.getJsonObject("requestContext").getJsonObject("http").getString("userAgent")).isEmpty();
  }

  @Test
  void binaryBodiesAreBase64() {
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope("123456789012", "$default", new RouteSelection.Match(ROUTE, Map.of()),
        Map.of());
    for (String type : List.of("application/octet-stream", "application/x-www-form-urlencoded", "image/png")) {
      JsonObject event = LambdaProxyEvents.v2(request("POST", List.of(Map.entry("content-type", type)), "a=1"), scope, null);
      assertThat(event.getBoolean("isBase64Encoded")).as(type).isTrue();
      assertThat(event.getString("body")).isEqualTo("YT0x");
    }
    for (String type : List.of("application/json; charset=utf-8", "text/csv", "application/vnd.api+json", "application/xml")) {
      JsonObject event = LambdaProxyEvents.v1(request("POST", List.of(Map.entry("content-type", type)), "a=1"), scope, null);
      assertThat(event.getBoolean("isBase64Encoded")).as(type).isFalse();
      assertThat(event.getString("body")).isEqualTo("a=1");
    }
  }

  @Test
  void format10IsTheGuidesExample() {
    JsonObject route = new JsonObject().put("RouteId", "r1").put("RouteKey", "GET /my/path");
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope("123456789012", "$default", new RouteSelection.Match(route, Map.of()),
        Map.of());
    List<Map.Entry<String, String>> headers = List.of(Map.entry("Header1", "value1"), Map.entry("Header2", "value1"),
        Map.entry("Header2", "value2"), Map.entry("User-Agent", "user-agent"), Map.entry("Content-Type", "text/plain"));
    InvokeRequest request = new InvokeRequest("id", "GET", "/my/path", "parameter1=value1&parameter1=value2&parameter2=value",
        headers, "Hello from Lambda!".getBytes(StandardCharsets.UTF_8), "IP", "HTTP/1.1",
        "id.execute-api.us-east-1.amazonaws.com", "id=", 1583349317135L);
    JsonObject event = LambdaProxyEvents.v1(request, scope, null);
    JsonObject expected = new JsonObject("""
        {
          "version": "1.0",
          "resource": "/my/path",
          "path": "/my/path",
          "httpMethod": "GET",
          "headers": {"header1": "value1", "header2": "value2", "user-agent": "user-agent", "content-type": "text/plain"},
          "multiValueHeaders": {"header1": ["value1"], "header2": ["value1", "value2"], "user-agent": ["user-agent"],
            "content-type": ["text/plain"]},
          "queryStringParameters": {"parameter1": "value2", "parameter2": "value"},
          "multiValueQueryStringParameters": {"parameter1": ["value1", "value2"], "parameter2": ["value"]},
          "requestContext": {
            "accountId": "123456789012",
            "apiId": "id",
            "authorizer": {"claims": null, "scopes": null},
            "domainName": "id.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "id",
            "extendedRequestId": "id=",
            "httpMethod": "GET",
            "identity": {"accessKey": null, "accountId": null, "caller": null, "cognitoAuthenticationProvider": null,
              "cognitoAuthenticationType": null, "cognitoIdentityId": null, "cognitoIdentityPoolId": null,
              "principalOrgId": null, "sourceIp": "IP", "user": null, "userAgent": "user-agent", "userArn": null},
            "path": "/my/path",
            "protocol": "HTTP/1.1",
            "requestId": "id=",
            "requestTime": "04/Mar/2020:19:15:17 +0000",
            "requestTimeEpoch": 1583349317135,
            "resourceId": "r1",
            "resourcePath": "/my/path",
            "stage": "$default"
          },
          "pathParameters": null,
          "stageVariables": null,
          "body": "Hello from Lambda!",
          "isBase64Encoded": false
        }""");
    assertThat(event).isEqualTo(expected);
    assertThat(List.copyOf(event.fieldNames())).containsExactlyElementsOf(expected.fieldNames());
  }

  @Test
  void format10WithoutQueryOrBodyHasNulls() {
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope("123456789012", "$default",
        new RouteSelection.Match(new JsonObject().put("RouteKey", "$default"), Map.of("id", "7")), Map.of("v", "1"));
    InvokeRequest request = new InvokeRequest("id", "GET", "/x", "", List.of(), null, "IP", "HTTP/1.1", "h", "r", EPOCH);
    JsonObject event = LambdaProxyEvents.v1(request, scope, null);
    assertThat(event.containsKey("queryStringParameters")).isTrue();
    assertThat(event.getValue("queryStringParameters")).isNull();
    assertThat(event.getValue("multiValueQueryStringParameters")).isNull();
    assertThat(event.getValue("body")).isNull();
    assertThat(event.getString("resource")).isEqualTo("$default");
    assertThat(event.getJsonObject("pathParameters")).isEqualTo(new JsonObject().put("id", "7"));
    assertThat(event.getJsonObject("stageVariables")).isEqualTo(new JsonObject().put("v", "1"));
    assertThat(event.getJsonObject("multiValueHeaders")).isEqualTo(new JsonObject());
    assertThat(new JsonArray().add(event.getJsonObject("requestContext").getString("domainPrefix"))).containsExactly("h");
  }
}
