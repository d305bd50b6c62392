package io.eventplane.gateway.apigateway.invoke.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestResourceMatchTest {
  private static JsonObject resource(String id, String path, String... methods) {
    JsonObject m = new JsonObject();
    for (String method : methods) m.put(method, new JsonObject().put("httpMethod", method));
    return new JsonObject().put("id", id).put("path", path).put("resourceMethods", m);
  }

  private final JsonArray resources = new JsonArray()
      .add(resource("root", "/", "GET"))
      .add(resource("pets", "/pets", "GET", "POST"))
      .add(resource("pet", "/pets/{id}", "GET", "ANY"))
      .add(resource("mine", "/pets/mine", "GET"))
      .add(resource("files", "/files/{path+}", "ANY"))
      .add(resource("nomethods", "/empty"));

  private String matched(String method, String path) {
    RestResourceMatch.Match m = RestResourceMatch.select(resources, method, path);
    return m == null ? null : m.resource().getString("id") + " " + m.method().getString("httpMethod");
  }

  @Test
  void literalsBeforeVariablesBeforeGreedy() {
    assertThat(matched("GET", "/")).isEqualTo("root GET");
    assertThat(matched("GET", "/pets")).isEqualTo("pets GET");
    assertThat(matched("GET", "/pets/")).isEqualTo("pets GET");
    assertThat(matched("GET", "/pets/mine")).isEqualTo("mine GET");
    assertThat(matched("GET", "/pets/7")).isEqualTo("pet GET");
    assertThat(matched("DELETE", "/pets/7")).isEqualTo("pet ANY");
    assertThat(matched("DELETE", "/pets/mine")).isEqualTo("pet ANY");
    assertThat(matched("PUT", "/files/a/b/c")).isEqualTo("files ANY");
  }

  @Test
  void noResourceOrNoMethodIsNoMatch() {
    assertThat(matched("DELETE", "/pets")).isNull();
    assertThat(matched("GET", "/files")).isNull();
    assertThat(matched("GET", "/empty")).isNull();
    assertThat(matched("GET", "/pets/7/toys")).isNull();
    assertThat(matched("GET", "/Pets")).isNull();
    assertThat(RestResourceMatch.select(null, "GET", "/")).isNull();
  }

  @Test
  void pathParametersAreDecoded() {
    assertThat(RestResourceMatch.select(resources, "GET", "/pets/a%20b+c").pathParameters()).isEqualTo(Map.of("id", "a b+c"));
    assertThat(RestResourceMatch.select(resources, "GET", "/files/x/y%2Fz").pathParameters()).isEqualTo(Map.of("path", "x/y/z"));
  }

  @Test
  void quotaWindowsAreUtcDaysWeeksFromMondayAndMonths() {
    long wednesday = java.time.Instant.parse("2026-12-02T23:59:59Z").toEpochMilli();
    assertThat(RestLimits.window("DAY", wednesday)).isEqualTo("D2026-12-02");
    assertThat(RestLimits.window("WEEK", wednesday)).isEqualTo("W2026-11-30");
    assertThat(RestLimits.window("MONTH", wednesday)).isEqualTo("M2026-12-01");
  }
}
