package io.eventplane.gateway.apigateway.invoke.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CORS of HTTP APIs as tables: which requests are preflights, which origins pass, what is answered. */
class CorsPolicyTest {
  private static final JsonObject FULL = new JsonObject()
      .put("AllowOrigins", new JsonArray().add("https://app.example.com").add("https://*.trusted.example"))
      .put("AllowMethods", new JsonArray().add("GET").add("POST").add("DELETE"))
      .put("AllowHeaders", new JsonArray().add("authorization").add("content-type"))
      .put("ExposeHeaders", new JsonArray().add("x-request-id"))
      .put("MaxAge", 300)
      .put("AllowCredentials", true);
  private static final JsonObject ANY = new JsonObject().put("AllowOrigins", new JsonArray().add("*"))
      .put("AllowMethods", new JsonArray().add("*")).put("AllowHeaders", new JsonArray().add("*"));
  private static final JsonObject HTTPS_ONLY = new JsonObject().put("AllowOrigins", new JsonArray().add("https://*"));

  static Stream<Arguments> preflights() {
    return Stream.of(
        Arguments.of("OPTIONS", headers("Origin", "https://a.b", "Access-Control-Request-Method", "PUT"), true),
        Arguments.of("options", headers("origin", "https://a.b", "access-control-request-method", "GET"), true),
        Arguments.of("OPTIONS", headers("Origin", "https://a.b"), false),
        Arguments.of("OPTIONS", headers("Access-Control-Request-Method", "PUT"), false),
        Arguments.of("GET", headers("Origin", "https://a.b", "Access-Control-Request-Method", "PUT"), false),
        Arguments.of("OPTIONS", headers(), false));
  }

  @ParameterizedTest
  @MethodSource("preflights")
  void whatIsAPreflight(String method, MultiMap headers, boolean preflight) {
    assertThat(CorsPolicy.isPreflight(method, headers)).isEqualTo(preflight);
    assertThat(CorsPolicy.of(ANY).answersPreflight(method, headers)).isEqualTo(preflight);
    assertThat(CorsPolicy.of(null).answersPreflight(method, headers)).isFalse();
  }

  static Stream<Arguments> preflightAnswers() {
    Map<String, String> full = Map.of("access-control-allow-origin", "https://app.example.com",
        "access-control-allow-methods", "GET,POST,DELETE", "access-control-allow-headers", "authorization,content-type",
        "access-control-max-age", "300", "access-control-allow-credentials", "true");
    return Stream.of(
        Arguments.of(FULL, "https://app.example.com", full),
        Arguments.of(FULL, "HTTPS://APP.EXAMPLE.COM", Map.of("access-control-allow-origin", "HTTPS://APP.EXAMPLE.COM",
            "access-control-allow-methods", "GET,POST,DELETE", "access-control-allow-headers",
            "authorization,content-type", "access-control-max-age", "300", "access-control-allow-credentials", "true")),
        Arguments.of(FULL, "https://api.trusted.example", Map.of("access-control-allow-origin",
            "https://api.trusted.example", "access-control-allow-methods", "GET,POST,DELETE",
            "access-control-allow-headers", "authorization,content-type", "access-control-max-age", "300",
            "access-control-allow-credentials", "true")),
        Arguments.of(FULL, "https://evil.example.com", Map.of()),
        Arguments.of(FULL, "http://app.example.com", Map.of()),
        Arguments.of(FULL, "https://trusted.example", Map.of()),
        Arguments.of(ANY, "https://anyone.example", Map.of("access-control-allow-origin", "*",
            "access-control-allow-methods", "*", "access-control-allow-headers", "*")),
        Arguments.of(HTTPS_ONLY, "https://anyone.example", Map.of("access-control-allow-origin", "https://anyone.example")),
        Arguments.of(HTTPS_ONLY, "http://anyone.example", Map.of()),
        Arguments.of(new JsonObject(), "https://anyone.example", Map.of()));
  }

  @ParameterizedTest
  @MethodSource("preflightAnswers")
  void preflightAnswers(JsonObject configuration, String origin, Map<String, String> expected) {
    MultiMap response = MultiMap.caseInsensitiveMultiMap();

    CorsPolicy.of(configuration).preflight(headers("Origin", origin, "Access-Control-Request-Method", "DELETE",
        "Access-Control-Request-Headers", "authorization"), response);

    assertThat(asMap(response)).isEqualTo(expected);
  }

  static Stream<Arguments> decoratedResponses() {
    return Stream.of(
        Arguments.of(FULL, "https://app.example.com", Map.of("content-type", "application/json",
            "access-control-allow-origin", "https://app.example.com", "access-control-allow-credentials", "true",
            "access-control-expose-headers", "x-request-id")),
        Arguments.of(FULL, "https://evil.example.com", Map.of("content-type", "application/json")),
        Arguments.of(FULL, null, Map.of("content-type", "application/json")),
        Arguments.of(ANY, "https://anyone.example", Map.of("content-type", "application/json",
            "access-control-allow-origin", "*")));
  }

  @ParameterizedTest
  @MethodSource("decoratedResponses")
  void otherResponsesGetTheConfiguredHeadersInsteadOfTheIntegrationS(JsonObject configuration, String origin,
      Map<String, String> expected) {
    MultiMap response = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("Access-Control-Allow-Origin", "https://backend-says.example").add("Access-Control-Max-Age", "1");

    CorsPolicy.of(configuration).decorate(origin == null ? headers() : headers("Origin", origin), response);

    assertThat(asMap(response)).isEqualTo(expected);
  }

  @Test
  void withoutCorsConfigurationTheIntegrationSHeadersStand() {
    MultiMap response = MultiMap.caseInsensitiveMultiMap().add("Access-Control-Allow-Origin", "https://x.example");

    CorsPolicy.of(null).decorate(headers("Origin", "https://y.example"), response);

    assertThat(asMap(response)).isEqualTo(Map.of("access-control-allow-origin", "https://x.example"));
    assertThat(CorsPolicy.of(null).enabled()).isFalse();
  }

  @Test
  void aWildcardWithCredentialsEchoesTheOrigin() {
    MultiMap response = MultiMap.caseInsensitiveMultiMap();

    CorsPolicy.of(ANY.copy().put("AllowCredentials", true)).decorate(headers("Origin", "https://a.example"), response);

    assertThat(response.get("access-control-allow-origin")).isEqualTo("https://a.example");
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) headers.add(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  private static Map<String, String> asMap(MultiMap headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers.entries()) out.put(e.getKey().toLowerCase(), e.getValue());
    return out;
  }
}
