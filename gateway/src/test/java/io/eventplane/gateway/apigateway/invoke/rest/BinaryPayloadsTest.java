package io.eventplane.gateway.apigateway.invoke.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The developer guide's "Content type conversions in API Gateway" tables, row by row. */
class BinaryPayloadsTest {
  private static BinaryPayloads of(String... types) {
    return BinaryPayloads.of(new JsonObject().put("binaryMediaTypes", new JsonArray(java.util.List.of((Object[]) types))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mediaTypesMatchExactlyOrByWildcard() {
    BinaryPayloads images = of("image/*", "application/pdf");
    assertThat(images.isBinary("image/png")).isTrue();
    assertThat(images.isBinary("IMAGE/JPEG; q=1")).isTrue();
    assertThat(images.isBinary("application/pdf;charset=x")).isTrue();
    assertThat(images.isBinary("application/json")).isFalse();
    assertThat(images.isBinary("imagex/png")).isFalse();
    assertThat(images.isBinary(null)).isFalse();
    assertThat(of("*/*").isBinary("text/plain")).isTrue();
    assertThat(BinaryPayloads.of(new JsonObject()).isBinary("image/png")).isFalse();
    // Only the first media type of Accept counts.
    assertThat(images.acceptsBinary("image/webp,image/*,*/*;q=0.8")).isTrue();
    assertThat(images.acceptsBinary("text/html, image/png")).isFalse();
    assertThat(images.acceptsBinary(null)).isFalse();
  }

  @Test
  void requestPayloads() {
    BinaryPayloads images = of("image/*");
    byte[] raw = {0, 1, 2, (byte) 0xff};
    // Binary data, binary type: as is; CONVERT_TO_BINARY as is; CONVERT_TO_TEXT base64.
    assertThat(images.integrationRequest(raw, "image/png", null)).containsExactly(raw);
    assertThat(images.integrationRequest(raw, "image/png", "CONVERT_TO_BINARY")).containsExactly(raw);
    assertThat(images.integrationRequest(raw, "image/png", "CONVERT_TO_TEXT")).containsExactly(bytes("AAEC/w=="));
    // Text data: as is, CONVERT_TO_TEXT as is, CONVERT_TO_BINARY base64-decoded.
    assertThat(images.integrationRequest(bytes("AAEC"), "text/plain", null)).containsExactly(bytes("AAEC"));
    assertThat(images.integrationRequest(bytes("AAEC"), "text/plain", "CONVERT_TO_TEXT")).containsExactly(bytes("AAEC"));
    assertThat(images.integrationRequest(bytes("AAEC\n"), "text/plain", "CONVERT_TO_BINARY")).containsExactly(0, 1, 2);
    assertThatThrownBy(() -> images.integrationRequest(bytes("%%%"), "text/plain", "CONVERT_TO_BINARY"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void responsePayloadsAndProxyAnswers() {
    BinaryPayloads images = of("image/*");
    assertThat(images.methodResponse(bytes("AAEC"), "application/json", null)).containsExactly(bytes("AAEC"));
    assertThat(images.methodResponse(bytes("AAEC"), "application/json", "CONVERT_TO_TEXT")).containsExactly(bytes("AAEC"));
    assertThat(images.methodResponse(bytes("AAEC"), "application/json", "CONVERT_TO_BINARY")).containsExactly(0, 1, 2);
    assertThat(images.methodResponse(bytes("AAEC"), "image/png", null)).containsExactly(0, 1, 2);
    assertThat(images.methodResponse(bytes("AAEC"), "image/png", "CONVERT_TO_TEXT")).containsExactly(bytes("AAEC"));
    assertThat(images.decodesProxyAnswer("image/png", "application/octet-stream")).isTrue();
    assertThat(images.decodesProxyAnswer(null, "image/gif")).isTrue();
    assertThat(images.decodesProxyAnswer("*/*", "application/octet-stream")).isFalse();
  }
}
