package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How S3 matches origins, methods and requested headers against a bucket's CORS rules. */
class CorsConfigurationTest {
  private static JsonObject rule(List<String> origins, List<String> methods, List<String> headers) {
    return new JsonObject().put("AllowedOrigins", new JsonArray(origins)).put("AllowedMethods", new JsonArray(methods))
        .put("AllowedHeaders", new JsonArray(headers));
  }

  private static CorsConfiguration config(JsonObject... rules) {
    return CorsConfiguration.parse(new JsonObject().put("CORSRules", new JsonArray(List.of((Object[]) rules))));
  }

  private static boolean allows(String pattern, String origin) {
    return config(rule(List.of(pattern), List.of("GET"), List.of())).actual(origin, "GET") != null;
  }

  @Test
  void anOriginPatternHasOneWildcardAnchoredAtBothEnds() {
    assertThat(allows("*", "null")).isTrue();
    assertThat(allows("https://*.example.com", "https://a.b.example.com")).isTrue();
    assertThat(allows("https://*.example.com", "https://example.com")).isFalse();
    assertThat(allows("https://*.example.com", "https://www.example.com.evil")).isFalse();
    assertThat(allows("https://example.com:*", "https://example.com:8443")).isTrue();
    assertThat(allows("start*end", "startend")).isTrue();
    assertThat(allows("ab*ba", "aba")).isFalse();
    assertThat(allows("https://example.com", "https://EXAMPLE.com")).isFalse();
    assertThat(allows("https://example.com", "https://example.com/")).isFalse();
  }

  @Test
  void requestedHeadersMatchWithoutRegardToCaseAndComeBackLowerCased() {
    CorsConfiguration c = config(rule(List.of("*"), List.of("PUT"), List.of("Content-Type", "x-amz-*")));
    JsonObject h = c.preflight("https://a.com", "PUT", CorsConfiguration.requestHeaders("CONTENT-TYPE, X-Amz-Date, ,"));
    assertThat(h.getString("Access-Control-Allow-Headers")).isEqualTo("content-type, x-amz-date");
    assertThat(h.getString("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(h.containsKey("Access-Control-Allow-Credentials")).isFalse();
    assertThat(c.preflight("https://a.com", "PUT", List.of("authorization"))).isNull();
    // An actual request's headers are not checked, only its origin and method.
    assertThat(c.actual("https://a.com", "PUT")).isNotNull();
    assertThat(c.actual("https://a.com", "GET")).isNull();
  }

  @Test
  void theFirstMatchingRuleDecidesAndALiteralStarAllowsEveryone() {
    CorsConfiguration c = config(rule(List.of("https://a.com", "*"), List.of("GET"), List.of()),
        rule(List.of("https://a.com"), List.of("GET", "PUT"), List.of()));
    assertThat(c.actual("https://a.com", "GET").getString("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(c.actual("https://a.com", "PUT").getString("Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
    assertThat(c.actual("https://a.com", "PUT").getString("Access-Control-Allow-Credentials")).isEqualTo("true");
  }

  @Test
  void validationFollowsS3sOrder() {
    assertThatThrownBy(() -> config(rule(List.of("*.*"), List.of("get"), List.of())))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().message())
            .isEqualTo("Found unsupported HTTP method in CORS config. Unsupported method is get"));
    assertThatThrownBy(() -> config(rule(List.of("*.*"), List.of("GET"), List.of("x-*-*"))))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().message())
            .isEqualTo("AllowedOrigin \"*.*\" can not have more than one wildcard."));
    assertThatThrownBy(() -> config(rule(List.of("*"), List.of("GET"), List.of()).put("MaxAgeSeconds", "2147483648")))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().code()).isEqualTo("MalformedXML"));
    assertThat(config(rule(List.of(""), List.of("GET"), List.of()).put("MaxAgeSeconds", "0042")).toJson()
        .getJsonArray("CORSRules").getJsonObject(0).getInteger("MaxAgeSeconds")).isEqualTo(42);
  }
}
