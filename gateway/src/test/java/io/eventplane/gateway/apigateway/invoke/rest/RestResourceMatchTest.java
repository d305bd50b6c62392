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
  void quotaWindowsStartTheirOffsetInto() {
    long wednesday = java.time.Instant.parse("2026-12-02T23:59:59Z").toEpochMilli();
    assertThat(RestLimits.window("DAY", 0, wednesday)).isEqualTo("D2026-12-02");
    // QuotaSettings.offset: "with a time period of WEEK, an offset of 0 starts on Sunday, and an offset of 1 starts on Monday".
    assertThat(RestLimits.window("WEEK", 0, wednesday)).isEqualTo("W2026-11-29");
    assertThat(RestLimits.window("WEEK", 1, wednesday)).isEqualTo("W2026-11-30");
    assertThat(RestLimits.window("WEEK", 3, wednesday)).isEqualTo("W2026-12-02");
    assertThat(RestLimits.window("WEEK", 4, wednesday)).isEqualTo("W2026-11-26");
    assertThat(RestLimits.window("MONTH", 0, wednesday)).isEqualTo("M2026-12-01");
    assertThat(RestLimits.window("MONTH", 1, wednesday)).isEqualTo("M2026-12-02");
    assertThat(RestLimits.window("MONTH", 2, wednesday)).isEqualTo("M2026-11-03");
    assertThat(RestLimits.window("MONTH", 27, java.time.Instant.parse("2027-03-01T00:00:00Z").toEpochMilli()))
        .isEqualTo("M2027-02-28");
  }
}
