package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which hosts may be custom domain names, which mapping takes a path, and the per-node cache of answers. */
class CustomDomainsTest {
  private static final RequestContext ANYONE = new RequestContext("000000000000", "us-east-1", "r", "http://localhost");

  @Test
  void onlyDottedNamesEndingInLettersAreLookedUp() {
    assertThat(CustomDomains.candidate("API.Example.com:8080")).isEqualTo("api.example.com");
    assertThat(CustomDomains.candidate("api.example.com")).isEqualTo("api.example.com");
    assertThat(CustomDomains.candidate("localhost:4566")).isNull();
    assertThat(CustomDomains.candidate("127.0.0.1:4566")).isNull();
    assertThat(CustomDomains.candidate("[::1]:4566")).isNull();
    assertThat(CustomDomains.candidate("")).isNull();
  }

  @Test
  void theLongestWholeSegmentKeyWinsAndIsTakenOffThePath() {
    JsonObject served = new JsonObject().put("Mappings", new JsonArray()
        .add(mapping("rest0000000", "dev", ""))
        .add(mapping("shop000000", "prod", "shop"))
        .add(mapping("http000000", "$default", "shop/v2"))
        .add(mapping("nostage000", null, "any")));
    assertThat(CustomDomains.resolve(served, "/shop/v2/items/7"))
        .isEqualTo(new InvokeRoute.Target("http000000", "/items/7", "$default"));
    assertThat(CustomDomains.resolve(served, "/shop/v2")).isEqualTo(new InvokeRoute.Target("http000000", "/", "$default"));
    assertThat(CustomDomains.resolve(served, "/shop/v3")).isEqualTo(new InvokeRoute.Target("shop000000", "/v3", "prod"));
    assertThat(CustomDomains.resolve(served, "/shopping")).isEqualTo(new InvokeRoute.Target("rest0000000", "/shopping", "dev"));
    assertThat(CustomDomains.resolve(served, "/")).isEqualTo(new InvokeRoute.Target("rest0000000", "/", "dev"));
    // A mapping without a stage leaves the stage to the path.
    assertThat(CustomDomains.resolve(served, "/any/prod/x")).isEqualTo(new InvokeRoute.Target("nostage000", "/prod/x", null));
    JsonObject narrow = new JsonObject().put("Mappings", new JsonArray().add(mapping("a000000000", "dev", "v1")));
    assertThat(CustomDomains.resolve(narrow, "/v2/x")).isNull();
    assertThat(CustomDomains.resolve(new JsonObject().put("Mappings", new JsonArray()), "/")).isNull();
  }

  @Test
  void answersAreSharedKeptWhenNotFoundAndDroppedByTheirNameOrAReset() {
    List<ApiRequest> asked = new ArrayList<>();
    CustomDomains domains = new CustomDomains((address, request) -> {
      asked.add(request);
      String name = request.input().getString("DomainName");
      return Future.succeededFuture(name.equals("api.example.com")
          ? ApiReply.ok(new JsonObject().put("Mappings", new JsonArray()))
          : ApiReply.failed(ServiceError.sender("NotFoundException", "Invalid domain name identifier specified")));
    });
    assertThat(domains.get("api.example.com", ANYONE).result().succeeded()).isTrue();
    assertThat(domains.get("api.example.com", ANYONE).result().succeeded()).isTrue();
    assertThat(domains.get("sdk.example.org", ANYONE).result().succeeded()).isFalse();
    assertThat(domains.get("sdk.example.org", ANYONE).result().succeeded()).isFalse();
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0).operation()).isEqualTo("GetServedDomainName");
    domains.changed(new JsonObject().put("DomainName", "SDK.example.org"));
    domains.get("sdk.example.org", ANYONE);
    domains.get("api.example.com", ANYONE);
    assertThat(asked).hasSize(3);
    domains.changed(new JsonObject().put("ApiId", "abc1234567"));
    assertThat(domains.size()).isEqualTo(2);
    domains.changed(new JsonObject().put("All", true));
    assertThat(domains.size()).isZero();
  }

  private static JsonObject mapping(String apiId, String stage, String key) {
    JsonObject m = new JsonObject().put("ApiId", apiId).put("ApiMappingKey", key);
    if (stage != null) m.put("Stage", stage);
    return m;
  }
}
