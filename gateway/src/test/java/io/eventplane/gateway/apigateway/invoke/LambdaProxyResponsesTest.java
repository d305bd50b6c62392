package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a function's answer becomes the HTTP answer, per payload format, against the developer
 * guide's table of 2.0 interpretations and its response formats.
 */
class LambdaProxyResponsesTest {
  private static InvokeResponse map(String payload, String version) {
    return LambdaProxyResponses.map(payload.getBytes(StandardCharsets.UTF_8), version);
  }

  private static String body(InvokeResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void format20InfersTheResponseOfPlainJson() {
    InvokeResponse text = map("\"Hello from Lambda!\"", "2.0");
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.header("Content-Type")).isEqualTo("application/json");
    assertThat(body(text)).isEqualTo("Hello from Lambda!");

    InvokeResponse object = map("{ \"message\": \"Hello from Lambda!\" }", "2.0");
    assertThat(object.status()).isEqualTo(200);
    assertThat(object.header("Content-Type")).isEqualTo("application/json");
    assertThat(body(object)).isEqualTo("{ \"message\": \"Hello from Lambda!\" }");

    assertThat(body(map("[1,2]", "2.0"))).isEqualTo("[1,2]");
    assertThat(body(map("42", "2.0"))).isEqualTo("42");
  }

  @Test
  void format20StructuredResponse() {
    InvokeResponse r = map("""
        {"cookies": ["a=1", "b=2"], "isBase64Encoded": false, "statusCode": 201,
         "headers": {"x-one": "1", "content-type": "text/plain"}, "body": "Hello"}""", "2.0");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.headers()).containsExactly(Map.entry("x-one", "1"), Map.entry("content-type", "text/plain"),
        Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2"));
    assertThat(body(r)).isEqualTo("Hello");
  }

  @Test
  void base64BodiesAreDecoded() {
    InvokeResponse r = map("{\"statusCode\": 200, \"isBase64Encoded\": true, \"body\": \"AAEC\"}", "2.0");
    assertThat(r.body()).containsExactly(0, 1, 2);
    assertThat(map("{\"statusCode\": 200, \"isBase64Encoded\": true, \"body\": \"%%%\"}", "1.0").status()).isEqualTo(500);
  }

  @Test
  void format10NeedsAStatusCodeAndTakesMultiValueHeaders() {
    assertThat(map("{\"message\": \"hi\"}", "1.0").status()).isEqualTo(500);
    assertThat(body(map("\"hi\"", "1.0"))).isEqualTo("{\"message\":\"Internal Server Error\"}");
    InvokeResponse r = map("""
        {"statusCode": "404", "headers": {"x-a": "1", "x-m": "ignored"}, "multiValueHeaders": {"x-m": ["a", "b"]},
         "cookies": ["not-in-1.0"], "body": "gone"}""", "1.0");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "application/json"), Map.entry("x-m", "a"),
        Map.entry("x-m", "b"), Map.entry("x-a", "1"));
    assertThat(body(r)).isEqualTo("gone");
  }

  @Test
  void whatCannotBeReadIsAnInternalServerError() {
    for (String bad : List.of("", "not json", "{\"statusCode\": \"abc\"}", "{\"statusCode\": 99}",
        "{\"statusCode\": 200, \"headers\": \"x\"}")) {
      InvokeResponse r = map(bad, "2.0");
      assertThat(r.status()).as(bad).isEqualTo(500);
      assertThat(body(r)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }
  }
}
