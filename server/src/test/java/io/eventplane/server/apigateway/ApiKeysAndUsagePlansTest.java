package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;
import software.amazon.awssdk.services.apigateway.model.UsagePlan;

/**
 * API keys and usage plans (the account's, not an API's): generated and given key values, values
 * only when asked, plans over API stages with throttle and quota, plan keys (one plan per key and
 * API stage), and the plans and keys a deployed stage carries for x-api-key checks.
 */
class ApiKeysAndUsagePlansTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String apiId;

  @BeforeEach
  void deployedApi() {
    var api = apigw.createRestApi(b -> b.name("metered"));
    apiId = api.id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(api.rootResourceId()).httpMethod("GET").authorizationType("NONE")
        .apiKeyRequired(true));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(api.rootResourceId()).httpMethod("GET").type(IntegrationType.MOCK));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private static PatchOperation patch(Op op, String path, String value) {
    return PatchOperation.builder().op(op).path(path).value(value).build();
  }

  @Test
  void keysHaveGeneratedOrGivenValuesShownOnlyWhenAsked() {
    var generated = apigw.createApiKey(b -> b.name("partner-a").enabled(true).customerId("cust-1"));
    assertThat(generated.id()).matches("[a-z0-9]{10}");
    assertThat(generated.value()).matches("[A-Za-z0-9]{40}");
    assertThat(generated.enabled()).isTrue();
    assertThat(generated.createdDate()).isNotNull();
    var given = apigw.createApiKey(b -> b.name("partner-b").value("abcdefghijklmnopqrstuvwxyz"));
    assertThat(given.value()).isEqualTo("abcdefghijklmnopqrstuvwxyz");
    assertThat(given.enabled()).isFalse();
    assertThatThrownBy(() -> apigw.createApiKey(b -> b.name("short").value("tooshort"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> apigw.createApiKey(b -> b.name("again").value("abcdefghijklmnopqrstuvwxyz")))
        .isInstanceOf(ConflictException.class);

    assertThat(apigw.getApiKey(b -> b.apiKey(generated.id())).value()).isNull();
    assertThat(apigw.getApiKey(b -> b.apiKey(generated.id()).includeValue(true)).value()).isEqualTo(generated.value());
    assertThat(apigw.getApiKeys(b -> b.build()).items()).extracting(ApiKey::value).containsOnlyNulls();
    assertThat(apigw.getApiKeys(b -> b.includeValues(true)).items()).extracting(ApiKey::value)
        .containsExactlyInAnyOrder(generated.value(), given.value());
    assertThat(apigw.getApiKeys(b -> b.nameQuery("partner-a")).items()).extracting(ApiKey::id).containsExactly(generated.id());
    assertThat(apigw.getApiKeys(b -> b.customerId("cust-1")).items()).extracting(ApiKey::id).containsExactly(generated.id());

    var updated = apigw.updateApiKey(b -> b.apiKey(given.id()).patchOperations(patch(Op.REPLACE, "/enabled", "true"),
        patch(Op.REPLACE, "/description", "for B")));
    assertThat(updated.enabled()).isTrue();
    assertThat(updated.description()).isEqualTo("for B");
    apigw.deleteApiKey(b -> b.apiKey(given.id()));
    assertThatThrownBy(() -> apigw.getApiKey(b -> b.apiKey(given.id()))).isInstanceOf(NotFoundException.class);
    try (ApiGatewayClient other = RestApiClients.v1(server.endpoint(), "111111111111", Region.US_EAST_1)) {
      assertThatThrownBy(() -> other.getApiKey(b -> b.apiKey(generated.id()))).isInstanceOf(NotFoundException.class);
      assertThat(other.getApiKeys(b -> b.build()).items()).isEmpty();
    }
  }

  @Test
  void plansCoverApiStagesWithThrottleAndQuota() {
    var created = apigw.createUsagePlan(b -> b.name("gold").description("Gold tier")
        .apiStages(s -> s.apiId(apiId).stage("prod")).throttle(t -> t.burstLimit(20).rateLimit(10.0))
        .quota(q -> q.limit(1000).period(QuotaPeriodType.DAY)));
    assertThat(created.id()).matches("[a-z0-9]{6}");
    assertThat(created.apiStages()).singleElement().satisfies(s -> {
      assertThat(s.apiId()).isEqualTo(apiId);
      assertThat(s.stage()).isEqualTo("prod");
    });
    assertThat(created.throttle().burstLimit()).isEqualTo(20);
    assertThat(created.throttle().rateLimit()).isEqualTo(10.0);
    assertThat(created.quota().limit()).isEqualTo(1000);
    assertThat(created.quota().offset()).isZero();
    assertThat(created.quota().period()).isEqualTo(QuotaPeriodType.DAY);
    assertThatThrownBy(() -> apigw.createUsagePlan(b -> b.name("nowhere").apiStages(s -> s.apiId(apiId).stage("nostage"))))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> apigw.createUsagePlan(b -> b.name("badquota").quota(q -> q.limit(5).period("YEAR"))))
        .isInstanceOfSatisfying(software.amazon.awssdk.services.apigateway.model.ApiGatewayException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> apigw.createUsagePlan(b -> b.name("badquota").quota(q -> q.limit(-1).period("DAY"))))
        .isInstanceOf(BadRequestException.class);

    var updated = apigw.updateUsagePlan(b -> b.usagePlanId(created.id()).patchOperations(
        patch(Op.REPLACE, "/throttle/rateLimit", "5"), patch(Op.REPLACE, "/quota/limit", "500"),
        patch(Op.REPLACE, "/name", "silver")));
    assertThat(updated.throttle().rateLimit()).isEqualTo(5.0);
    assertThat(updated.quota().limit()).isEqualTo(500);
    assertThat(updated.name()).isEqualTo("silver");
    var removed = apigw.updateUsagePlan(b -> b.usagePlanId(created.id()).patchOperations(
        patch(Op.REMOVE, "/apiStages", apiId + ":prod")));
    assertThat(removed.apiStages()).isEmpty();
    var added = apigw.updateUsagePlan(b -> b.usagePlanId(created.id()).patchOperations(
        patch(Op.ADD, "/apiStages", apiId + ":prod")));
    assertThat(added.apiStages()).hasSize(1);
    var throttled = apigw.updateUsagePlan(b -> b.usagePlanId(created.id()).patchOperations(
        patch(Op.REPLACE, "/apiStages/" + apiId + ":prod/throttle/~1/GET/rateLimit", "3"),
        patch(Op.REPLACE, "/apiStages/" + apiId + ":prod/throttle/~1/GET/burstLimit", "6")));
    assertThat(throttled.apiStages().get(0).throttle().get("//GET").rateLimit()).isEqualTo(3.0);
    assertThat(throttled.apiStages().get(0).throttle().get("//GET").burstLimit()).isEqualTo(6);
    var unthrottled = apigw.updateUsagePlan(b -> b.usagePlanId(created.id()).patchOperations(
        patch(Op.REMOVE, "/apiStages/" + apiId + ":prod/throttle/~1/GET", null)));
    assertThat(unthrottled.apiStages().get(0).hasThrottle()).isFalse();

    assertThat(apigw.getUsagePlans(b -> b.build()).items()).extracting(UsagePlan::id).containsExactly(created.id());
    apigw.deleteUsagePlan(b -> b.usagePlanId(created.id()));
    assertThatThrownBy(() -> apigw.getUsagePlan(b -> b.usagePlanId(created.id()))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Invalid Usage Plan ID specified");
  }

  @Test
  void planKeysAndWhatTheDeployedStageCarries() throws Exception {
    String planId = apigw.createUsagePlan(b -> b.name("basic").apiStages(s -> s.apiId(apiId).stage("prod"))
        .throttle(t -> t.burstLimit(2).rateLimit(1.0)).quota(q -> q.limit(100).period(QuotaPeriodType.MONTH))).id();
    var key = apigw.createApiKey(b -> b.name("client").enabled(true));
    var planKey = apigw.createUsagePlanKey(b -> b.usagePlanId(planId).keyId(key.id()).keyType("API_KEY"));
    assertThat(planKey.id()).isEqualTo(key.id());
    assertThat(planKey.type()).isEqualTo("API_KEY");
    assertThat(planKey.value()).isEqualTo(key.value());
    assertThat(planKey.name()).isEqualTo("client");
    assertThatThrownBy(() -> apigw.createUsagePlanKey(b -> b.usagePlanId(planId).keyId(key.id()).keyType("API_KEY")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> apigw.createUsagePlanKey(b -> b.usagePlanId(planId).keyId("nosuchkey0").keyType("API_KEY")))
        .isInstanceOf(NotFoundException.class);
    String other = apigw.createUsagePlan(b -> b.name("other").apiStages(s -> s.apiId(apiId).stage("prod"))).id();
    assertThatThrownBy(() -> apigw.createUsagePlanKey(b -> b.usagePlanId(other).keyId(key.id()).keyType("API_KEY")))
        .isInstanceOf(ConflictException.class);
    assertThat(apigw.getUsagePlanKeys(b -> b.usagePlanId(planId)).items()).extracting(k -> k.id()).containsExactly(key.id());
    assertThat(apigw.getUsagePlanKey(b -> b.usagePlanId(planId).keyId(key.id())).value()).isEqualTo(key.value());
    assertThat(apigw.getUsagePlans(b -> b.keyId(key.id())).items()).extracting(UsagePlan::id).containsExactly(planId);

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      JsonObject out = RestApiClients.deployedStage(server, node, apiId, "prod").output();
      assertThat(out.getJsonArray("UsagePlans")).hasSize(2);
      JsonObject plan = out.getJsonArray("UsagePlans").stream().map(JsonObject.class::cast)
          .filter(p -> p.getString("id").equals(planId)).findFirst().orElseThrow();
      assertThat(plan.getJsonObject("throttle").getInteger("burstLimit")).isEqualTo(2);
      assertThat(plan.getJsonObject("quota").getString("period")).isEqualTo("MONTH");
      assertThat(out.getJsonArray("ApiKeys")).hasSize(1);
      JsonObject k = out.getJsonArray("ApiKeys").getJsonObject(0);
      assertThat(k.getString("value")).isEqualTo(key.value());
      assertThat(k.getBoolean("enabled")).isTrue();
      assertThat(k.getString("usagePlanId")).isEqualTo(planId);
    }

    // Deleting the key takes it out of its plans.
    apigw.deleteApiKey(b -> b.apiKey(key.id()));
    assertThat(apigw.getUsagePlanKeys(b -> b.usagePlanId(planId)).items()).isEmpty();
    assertThat(RestApiClients.deployedStage(server, 0, apiId, "prod").output().getJsonArray("ApiKeys")).isEmpty();
  }

  @Test
  void tagsOnApisStagesKeysAndPlans() {
    String keyId = apigw.createApiKey(b -> b.name("tagged")).id();
    String planId = apigw.createUsagePlan(b -> b.name("tagged")).id();
    for (String arn : new String[] {"arn:aws:apigateway:us-east-1::/restapis/" + apiId,
        "arn:aws:apigateway:us-east-1::/restapis/" + apiId + "/stages/prod",
        "arn:aws:apigateway:us-east-1::/apikeys/" + keyId, "arn:aws:apigateway:us-east-1::/usageplans/" + planId}) {
      apigw.tagResource(b -> b.resourceArn(arn).tags(Map.of("env", "test", "team", "core")));
      assertThat(apigw.getTags(b -> b.resourceArn(arn)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "test", "team", "core"));
      apigw.untagResource(b -> b.resourceArn(arn).tagKeys("env"));
      assertThat(apigw.getTags(b -> b.resourceArn(arn)).tags()).containsExactly(Map.entry("team", "core"));
    }
    assertThat(apigw.getRestApi(b -> b.restApiId(apiId)).tags()).containsExactly(Map.entry("team", "core"));
    assertThat(apigw.getStage(b -> b.restApiId(apiId).stageName("prod")).tags()).containsExactly(Map.entry("team", "core"));
    assertThatThrownBy(() -> apigw.getTags(b -> b.resourceArn("arn:aws:apigateway:us-east-1::/restapis/0000000000")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> apigw.tagResource(b -> b.resourceArn("arn:aws:apigateway:us-east-1::/restapis/" + apiId)
        .tags(Map.of("aws:reserved", "x")))).isInstanceOf(BadRequestException.class);
  }
}
