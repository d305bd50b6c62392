package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP APIs' response parameter mapping ("Transforming API responses"), applied to an integration's answer. */
class ResponseParametersTest {
  private final InvokeRequest request = new InvokeRequest("abc1234567", "GET", "/prod/orders/7", "", List.of(), new byte[0],
      "10.0.0.1", "HTTP/1.1", "abc1234567.execute-api.localhost", "req-1", 1L);
  private final ParameterMapping mapping = new ParameterMapping(request, Map.of("id", "7"), Map.of("env", "blue"),
      Map.of("requestId", "req-1", "stage", "prod"));
  private final InvokeResponse answer = new InvokeResponse(500,
      List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Trace", "t1"), Map.entry("x-trace", "t2"),
          Map.entry("X-Gone", "g")),
      "{\"error\":{\"code\":\"E42\",\"retry\":true},\"items\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8));

  private static JsonObject integration(String status, JsonObject parameters) {
    return new JsonObject().put("ResponseParameters", new JsonObject().put(status, parameters));
  }

  @Test
  void theEntryOfTheAnsweredStatusApplies() {
    JsonObject on500 = new JsonObject().put("overwrite:statuscode", "503")
        .put("append:header.x-code", "$response.body.error.code")
        .put("append:header.x-retry", "${response.body.error.retry} after ${response.body.items[1]}")
        .put("overwrite:header.x-trace", "[$response.header.X-Trace]")
        .put("remove:header.x-gone", "")
        .put("append:header.x-where", "$context.stage/$stageVariables.env/$context.requestId")
        .put("append:header.x-missing", "<$response.header.nothing>")
        .put("overwrite:header.apigw-requestid", "reserved")
        .put("overwrite:header.Content-Length", "1");
    InvokeResponse out = ResponseParameters.apply(integration("500", on500), answer, mapping);
    assertThat(out.status()).isEqualTo(503);
    assertThat(out.header("x-code")).isEqualTo("E42");
    assertThat(out.header("x-retry")).isEqualTo("true after b");
    assertThat(out.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("x-trace")).toList())
        .containsExactly(Map.entry("x-trace", "[t1,t2]"));
    assertThat(out.header("x-gone")).isNull();
    assertThat(out.header("x-where")).isEqualTo("prod/blue/req-1");
    assertThat(out.header("x-missing")).isEqualTo("<>");
    assertThat(out.header("apigw-requestid")).isNull();
    assertThat(out.header("content-length")).isNull();
    assertThat(out.body()).isEqualTo(answer.body());
  }

  @Test
  void otherStatusesAndBadStatusCodesLeaveTheAnswer() {
    JsonObject on404 = new JsonObject().put("overwrite:statuscode", "410");
    assertThat(ResponseParameters.apply(integration("404", on404), answer, mapping)).isSameAs(answer);
    assertThat(ResponseParameters.apply(new JsonObject(), answer, mapping)).isSameAs(answer);
    for (String bad : new String[] {"99", "600", "abc", "$response.header.nothing"}) {
      JsonObject on500 = new JsonObject().put("overwrite:statuscode", bad);
      assertThat(ResponseParameters.apply(integration("500", on500), answer, mapping).status()).as(bad).isEqualTo(500);
    }
    // A static status with the answer's header appended keeps the header's repeats.
    JsonObject append = new JsonObject().put("append:header.x-trace", "t3");
    assertThat(ResponseParameters.apply(integration("500", append), answer, mapping).headers().stream()
        .filter(h -> h.getKey().equalsIgnoreCase("x-trace")).map(Map.Entry::getValue).toList()).containsExactly("t1", "t2", "t3");
  }
}
