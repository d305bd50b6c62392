package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route selection as the developer guide's "Working with routes for HTTP APIs" describes it. */
class RouteSelectionTest {
  private static RouteSelection routes(String... keys) {
    JsonArray routes = new JsonArray();
    for (String key : keys) routes.add(new JsonObject().put("RouteKey", key));
    return new RouteSelection(routes);
  }

  private static String key(RouteSelection routes, String method, String path) {
    RouteSelection.Match m = routes.select(method, path);
    return m == null ? null : m.routeKey();
  }

  @Test
  void theMostSpecificRouteWins() {
    RouteSelection r = routes("$default", "ANY /{proxy+}", "GET /pets/{petID}", "GET /pets/dog/1", "GET /pets/dog/{id}",
        "ANY /pets/{proxy+}", "POST /pets", "ANY /pets");
    // The guide's example: GET /pets/dog/1 matches GET /pets/dog/1 before GET /pets/dog/{id} and the greedy ones.
    assertThat(key(r, "GET", "/pets/dog/1")).isEqualTo("GET /pets/dog/1");
    assertThat(key(r, "GET", "/pets/dog/2")).isEqualTo("GET /pets/dog/{id}");
    assertThat(key(r, "GET", "/pets/cat")).isEqualTo("GET /pets/{petID}");
    assertThat(key(r, "GET", "/pets/cat/toys/1")).isEqualTo("ANY /pets/{proxy+}");
    assertThat(key(r, "POST", "/pets")).isEqualTo("POST /pets");
    assertThat(key(r, "DELETE", "/pets")).isEqualTo("ANY /pets");
    assertThat(key(r, "GET", "/toys")).isEqualTo("ANY /{proxy+}");
    assertThat(key(r, "GET", "/")).isEqualTo("$default");
  }

  @Test
  void theMethodMattersBeforeAny() {
    RouteSelection r = routes("ANY /orders", "GET /orders");
    assertThat(key(r, "GET", "/orders")).isEqualTo("GET /orders");
    assertThat(key(r, "PUT", "/orders")).isEqualTo("ANY /orders");
  }

  @Test
  void withoutADefaultRouteNothingElseMatches() {
    RouteSelection r = routes("GET /orders", "GET /orders/{id}");
    assertThat(key(r, "POST", "/orders")).isNull();
    assertThat(key(r, "GET", "/Orders")).isNull();
    assertThat(key(r, "GET", "/orders/1/items")).isNull();
    assertThat(key(r, "GET", "/orders/")).isNull();
    assertThat(routes().select("GET", "/")).isNull();
  }

  @Test
  void pathParametersAreDecoded() {
    RouteSelection r = routes("GET /orders/{id}/items/{item}", "ANY /files/{proxy+}", "GET /");
    assertThat(r.select("GET", "/orders/a%20b/items/c+d").pathParameters()).isEqualTo(Map.of("id", "a b", "item", "c+d"));
    assertThat(r.select("GET", "/files/x/y%2Fz/w").pathParameters()).isEqualTo(Map.of("proxy", "x/y/z/w"));
    assertThat(key(r, "GET", "/files")).isNull();
    assertThat(key(r, "GET", "/")).isEqualTo("GET /");
    assertThat(r.select("GET", "/").pathParameters()).isEmpty();
    // A malformed escape is passed as it came.
    assertThat(r.select("GET", "/orders/%zz/items/1").pathParameters()).isEqualTo(Map.of("id", "%zz", "item", "1"));
  }
}
