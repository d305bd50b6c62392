package io.eventplane.apigateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ApiGatewayPartitionsTest {
  private static final RequestContext CALLER = new RequestContext("000000000000", "us-east-1", "r", "http://localhost");
  private static final int CALLERS = ApiGatewayPartitions.of("000000000000", "us-east-1");

  private static int of(String operation, JsonObject input) {
    return ApiGatewayPartitions.of(new ApiRequest(operation, input, CALLER));
  }

  @Test
  void aCallNamingAnApiGoesToThePartitionItsIdNames() {
    int other = (CALLERS + 1) % 64;
    String id = new ApiIds().apiId(other);
    assertThat(of("GetApi", new JsonObject().put("ApiId", id))).isEqualTo(other);
    assertThat(of("GetRestApi", new JsonObject().put("restApiId", id))).isEqualTo(other);
    assertThat(of("GetTags", new JsonObject().put("ResourceArn", "arn:aws:apigateway:us-east-1::/apis/" + id + "/stages/prod")))
        .isEqualTo(other);
    assertThat(of("GetDeployedStage", new JsonObject().put("ApiId", id).put("StageName", "$default"))).isEqualTo(other);
  }

  @Test
  void otherCallsGoToTheCallersPartition() {
    assertThat(of("CreateApi", new JsonObject().put("Name", "x"))).isEqualTo(CALLERS);
    assertThat(of("GetApi", new JsonObject().put("ApiId", "not-an-id"))).isEqualTo(CALLERS);
    assertThat(of("GetApi", new JsonObject().put("ApiId", 5))).isEqualTo(CALLERS);
    assertThat(of("CreateApiMapping", new JsonObject().put("ApiId", new ApiIds().apiId((CALLERS + 1) % 64))))
        .isEqualTo(CALLERS);
    assertThat(of("GetTags", new JsonObject().put("ResourceArn", "arn:aws:apigateway:us-east-1::/domainnames/x.example.com")))
        .isEqualTo(CALLERS);
  }

  @Test
  void baseMappingsGoToTheCallersPartitionAndTheNameIndexToTheNames() {
    assertThat(of("CreateBasePathMapping", new JsonObject().put("domainName", "api.example.com")
        .put("restApiId", new ApiIds().apiId((CALLERS + 1) % 64)))).isEqualTo(CALLERS);
    int byName = DomainNameIndex.partitionOf("api.example.com");
    assertThat(DomainNameIndex.partitionOf("API.Example.com")).isEqualTo(byName);
    assertThat(of(DomainNameIndex.SERVED, new JsonObject().put("DomainName", "api.example.com"))).isEqualTo(byName);
    assertThat(of(DomainNameIndex.CLAIM, new JsonObject().put("DomainName", "api.example.com"))).isEqualTo(byName);
    assertThat(of(DomainNameIndex.RELEASE, new JsonObject().put("DomainName", "api.example.com"))).isEqualTo(byName);
    assertThat(of("GetDomainName", new JsonObject().put("DomainName", "api.example.com"))).isEqualTo(CALLERS);
  }
}
