package io.eventplane.apigateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteKeysTest {
  @ParameterizedTest
  @ValueSource(strings = {"$default", "GET /", "ANY /{proxy+}", "POST /orders", "GET /orders/{id}",
      "DELETE /orders/{id}/items/{item}", "PUT /files/{key+}", "OPTIONS /a.b/c-d_e~f", "HEAD /x/{a}"})
  void validKeys(String key) {
    assertThat(RouteKeys.check(key)).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "GET", "get /orders", "FETCH /x", "GET orders", "GET /orders/", "GET //x", "GET /{proxy+}/more",
      "GET /{}", "GET /a{b}", "GET /{a b}", "$DEFAULT", "GET  /x"})
  void invalidKeysAreBadRequests(String key) {
    assertThatThrownBy(() -> RouteKeys.check(key)).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.error().code()).isEqualTo("BadRequestException"));
  }
}
