package io.eventplane.gateway.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WireNamesTest {
  @Test
  void membersAreRenamedAtEveryDepthButTheUsersMapKeys() {
    JsonObject wire = new JsonObject()
        .put("apiId", "abc")
        .put("corsConfiguration", new JsonObject().put("allowOrigins", new JsonArray().add("*")).put("maxAge", 5))
        .put("tags", new JsonObject().put("team", "a").put("costCenter", "b"))
        .put("stageVariables", new JsonObject().put("backendHost", "x"))
        .put("routeSettings", new JsonObject().put("GET /pets", new JsonObject().put("throttlingBurstLimit", 1)))
        .put("requestParameters", new JsonObject().put("QueueUrl", "$request.header.q")
            .put("route.request.header.x", new JsonObject().put("required", true)))
        .put("responseParameters", new JsonObject().put("200", new JsonObject().put("append:header.x", "y")))
        .put("items", new JsonArray().add(new JsonObject().put("routeKey", "$default")));
    JsonObject members = WireNames.toMembers(wire);
    assertThat(members.getString("ApiId")).isEqualTo("abc");
    assertThat(members.getJsonObject("CorsConfiguration").getInteger("MaxAge")).isEqualTo(5);
    assertThat(members.getJsonObject("CorsConfiguration").getJsonArray("AllowOrigins")).containsExactly("*");
    assertThat(members.getJsonObject("Tags").fieldNames()).containsExactlyInAnyOrder("team", "costCenter");
    assertThat(members.getJsonObject("StageVariables").getString("backendHost")).isEqualTo("x");
    assertThat(members.getJsonObject("RouteSettings").getJsonObject("GET /pets").getInteger("ThrottlingBurstLimit")).isEqualTo(1);
    assertThat(members.getJsonObject("RequestParameters").getString("QueueUrl")).isEqualTo("$request.header.q");
    assertThat(members.getJsonObject("RequestParameters").getJsonObject("route.request.header.x").getBoolean("Required")).isTrue();
    assertThat(members.getJsonObject("ResponseParameters").getJsonObject("200").getString("append:header.x")).isEqualTo("y");
    assertThat(members.getJsonArray("Items").getJsonObject(0).getString("RouteKey")).isEqualTo("$default");
    assertThat(WireNames.toWire(members)).isEqualTo(wire);
  }
}
