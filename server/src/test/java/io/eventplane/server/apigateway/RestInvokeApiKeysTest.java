package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;

/**
 * API keys, usage plans and stage throttling on a REST API's invoke URL: a method with apiKeyRequired
 * answers 403 Forbidden without an enabled key of a plan bound to the stage; the plan's throttle answers
 * 429 Too Many Requests and its quota 429 Limit Exceeded; the stage's method settings throttle every
 * caller. Limits are per node, so every request here goes to one node; the server's clock moves them on.
 */
class RestInvokeApiKeysTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String apiId;
  private String root;

  @BeforeEach
  void setUp() {
    var api = apigw.createRestApi(b -> b.name("keys"));
    apiId = api.id();
    root = api.rootResourceId();
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private void mock(String part, boolean keyRequired) {
    String resource = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart(part)).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").authorizationType("NONE")
        .apiKeyRequired(keyRequired));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").statusCode("200")
        .responseTemplates(Map.of("application/json", "{\"key\": \"$context.identity.apiKeyId\"}")));
  }

  private String key(String name, String value, boolean enabled, String planId) {
    String id = apigw.createApiKey(b -> b.name(name).value(value).enabled(enabled)).id();
    if (planId != null) apigw.createUsagePlanKey(b -> b.usagePlanId(planId).keyId(id).keyType("API_KEY"));
    return id;
  }

  private HttpResponse<byte[]> get(String path, String apiKey) throws Exception {
    return apiKey == null ? send(server.endpoint(), apiId, "GET", path, null)
        : send(server.endpoint(), apiId, "GET", path, null, "x-api-key", apiKey);
  }

  private static void refused(HttpResponse<byte[]> response, int status, String message) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(new JsonObject(text(response))).isEqualTo(new JsonObject().put("message", message));
  }

  @Test
  void keysOfAPlanBoundToTheStagePassAndItsThrottleAndQuotaApply() throws Exception {
    mock("paid", true);
    mock("free", false);
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    String throttled = apigw.createUsagePlan(b -> b.name("throttled").apiStages(s -> s.apiId(apiId).stage("prod"))
        .throttle(t -> t.burstLimit(2).rateLimit(1.0))).id();
    String metered = apigw.createUsagePlan(b -> b.name("metered").apiStages(s -> s.apiId(apiId).stage("prod"))
        .throttle(t -> t.burstLimit(100).rateLimit(100.0)).quota(q -> q.limit(3).period(QuotaPeriodType.DAY))).id();
    String unbound = apigw.createUsagePlan(b -> b.name("elsewhere")).id();
    String fast = key("fast", "fast-key-0123456789abcdef", true, throttled);
    String counted = key("counted", "counted-key-0123456789abc", true, metered);
    key("off", "disabled-key-0123456789ab", false, throttled);
    key("stray", "stray-key-0123456789abcde", true, unbound);

    refused(get("/prod/paid", null), 403, "Forbidden");
    refused(get("/prod/paid", "no-such-key-0123456789ab"), 403, "Forbidden");
    refused(get("/prod/paid", "disabled-key-0123456789ab"), 403, "Forbidden");
    refused(get("/prod/paid", "stray-key-0123456789abcde"), 403, "Forbidden");
    assertThat(get("/prod/free", null).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> first = get("/prod/paid", "fast-key-0123456789abcdef");
    assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
    assertThat(new JsonObject(text(first)).getString("key")).isEqualTo(fast);
    assertThat(get("/prod/paid", "fast-key-0123456789abcdef").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> third = get("/prod/paid", "fast-key-0123456789abcdef");
    refused(third, 429, "Too Many Requests");
    assertThat(third.headers().firstValue("x-amzn-ErrorType")).hasValue("TooManyRequestsException");
    server.advance(Duration.ofSeconds(1));
    assertThat(get("/prod/paid", "fast-key-0123456789abcdef").statusCode()).isEqualTo(200);

    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> ok = get("/prod/paid", "counted-key-0123456789abc");
      assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
      assertThat(new JsonObject(text(ok)).getString("key")).isEqualTo(counted);
    }
    refused(get("/prod/paid", "counted-key-0123456789abc"), 429, "Limit Exceeded");
    server.advance(Duration.ofDays(1));
    assertThat(get("/prod/paid", "counted-key-0123456789abc").statusCode()).isEqualTo(200);
  }

  @Test
  void stageMethodSettingsThrottleEveryCaller() throws Exception {
    mock("open", false);
    mock("other", false);
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    apigw.updateStage(b -> b.restApiId(apiId).stageName("prod").patchOperations(
        PatchOperation.builder().op(Op.REPLACE).path("/~1open/GET/throttling/burstLimit").value("1").build(),
        PatchOperation.builder().op(Op.REPLACE).path("/~1open/GET/throttling/rateLimit").value("1").build()));

    assertThat(get("/prod/open", null).statusCode()).isEqualTo(200);
    refused(get("/prod/open", null), 429, "Too Many Requests");
    assertThat(get("/prod/other", null).statusCode()).isEqualTo(200);
    assertThat(get("/prod/other", null).statusCode()).isEqualTo(200);
    server.advance(Duration.ofSeconds(1));
    assertThat(get("/prod/open", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aWeeklyQuotaStartsOnTheDayItsOffsetNames() throws Exception {
    mock("paid", true);
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
    // The week starts tomorrow: offset 0 is Sunday, 1 Monday, ... (QuotaSettings.offset).
    java.time.DayOfWeek today = server.clock().instant().atZone(java.time.ZoneOffset.UTC).getDayOfWeek();
    int tomorrow = (today.getValue() % 7 + 1) % 7;
    String weekly = apigw.createUsagePlan(b -> b.name("weekly").apiStages(s -> s.apiId(apiId).stage("prod"))
        .quota(q -> q.limit(1).offset(tomorrow).period(QuotaPeriodType.WEEK))).id();
    assertThat(apigw.getUsagePlan(b -> b.usagePlanId(weekly)).quota().offset()).isEqualTo(tomorrow);
    key("weekly", "weekly-key-0123456789abcd", true, weekly);

    assertThat(get("/prod/paid", "weekly-key-0123456789abcd").statusCode()).isEqualTo(200);
    refused(get("/prod/paid", "weekly-key-0123456789abcd"), 429, "Limit Exceeded");
    server.advance(Duration.ofDays(1));
    assertThat(get("/prod/paid", "weekly-key-0123456789abcd").statusCode()).isEqualTo(200);
    refused(get("/prod/paid", "weekly-key-0123456789abcd"), 429, "Limit Exceeded");
    server.advance(Duration.ofDays(6));
    refused(get("/prod/paid", "weekly-key-0123456789abcd"), 429, "Limit Exceeded");
    server.advance(Duration.ofDays(1));
    assertThat(get("/prod/paid", "weekly-key-0123456789abcd").statusCode()).isEqualTo(200);
  }
}
