package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request parameter mapping values, as the developer guide's parameter mapping reference lists them. */
class ParameterMappingTest {
  private final InvokeRequest request = new InvokeRequest("abc1234567", "POST", "/prod/orders/7", "q=1&q=2&single=x%20y",
      List.of(Map.entry("X-Tenant", "acme"), Map.entry("Content-Type", "application/json")),
      "{\"order\":{\"id\":\"o-1\",\"items\":[{\"sku\":\"s1\"},{\"sku\":\"s2\"}],\"total\":12.5},\"note\":\"n\"}"
          .getBytes(StandardCharsets.UTF_8), "10.0.0.1", "HTTP/1.1", "abc1234567.execute-api.localhost", "req-1", 1L);
  private final ParameterMapping mapping = new ParameterMapping(request, Map.of("id", "7"), Map.of("stream", "orders"),
      Map.of("requestId", "req-1", "stage", "prod", "identity.sourceIp", "10.0.0.1"));

  @Test
  void eachSourceResolves() {
    assertThat(mapping.evaluate("$request.body.note")).isEqualTo("n");
    assertThat(mapping.evaluate("$request.body.order.id")).isEqualTo("o-1");
    assertThat(mapping.evaluate("$request.body.order.items[1].sku")).isEqualTo("s2");
    assertThat(mapping.evaluate("$request.body.order.total")).isEqualTo("12.5");
    assertThat(new JsonObject(mapping.evaluate("$request.body.order.items[0]"))).isEqualTo(new JsonObject().put("sku", "s1"));
    assertThat(mapping.evaluate("$request.body")).startsWith("{\"order\"");
    assertThat(mapping.evaluate("$request.header.x-tenant")).isEqualTo("acme");
    assertThat(mapping.evaluate("$request.querystring.q")).isEqualTo("1,2");
    assertThat(mapping.evaluate("$request.querystring.single")).isEqualTo("x y");
    assertThat(mapping.evaluate("$request.path.id")).isEqualTo("7");
    assertThat(mapping.evaluate("$context.requestId")).isEqualTo("req-1");
    assertThat(mapping.evaluate("$context.identity.sourceIp")).isEqualTo("10.0.0.1");
    assertThat(mapping.evaluate("$stageVariables.stream")).isEqualTo("orders");
  }

  @Test
  void literalsAndMixedStrings() {
    assertThat(mapping.evaluate("orders-stream")).isEqualTo("orders-stream");
    assertThat(mapping.evaluate("$stageVariables.stream-$context.stage")).isEqualTo("orders-prod");
    assertThat(mapping.evaluate("tenant ${request.header.x-tenant}/${request.path.id}!")).isEqualTo("tenant acme/7!");
    assertThat(mapping.evaluate("cost: 5$")).isEqualTo("cost: 5$");
  }

  @Test
  void whatIsMissingIsEmpty() {
    assertThat(mapping.evaluate("$request.body.nothing.here")).isEmpty();
    assertThat(mapping.evaluate("$request.body.order.items[9].sku")).isEmpty();
    assertThat(mapping.evaluate("$request.header.absent")).isEmpty();
    assertThat(mapping.evaluate("$stageVariables.absent")).isEmpty();
    assertThat(mapping.evaluate("$context.absent")).isEmpty();
    ParameterMapping notJson = new ParameterMapping(new InvokeRequest("a", "POST", "/", "", List.of(),
        "plain".getBytes(StandardCharsets.UTF_8), "ip", "HTTP/1.1", "h", "r", 1L), Map.of(), Map.of(), Map.of());
    assertThat(notJson.evaluate("$request.body.x")).isEmpty();
    assertThat(notJson.evaluate("$request.body")).isEqualTo("plain");
  }

  @Test
  void servicesGetTypedInput() {
    JsonObject in = ServiceIntegrations.typed(new JsonObject().put("QueueUrl", "u").put("MaxNumberOfMessages", "5")
        .put("AttributeNames", "All,SentTimestamp").put("MessageAttributeNames", "[\"a\"]").put("Region", "eu-west-1"),
        java.util.Set.of("MaxNumberOfMessages"), java.util.Set.of("AttributeNames", "MessageAttributeNames"), java.util.Set.of());
    assertThat(in).isEqualTo(new JsonObject("""
        {"QueueUrl": "u", "MaxNumberOfMessages": 5, "AttributeNames": ["All", "SentTimestamp"], "MessageAttributeNames": ["a"]}"""));
    assertThat(ServiceIntegrations.of("StepFunctions-StartExecution")).isNull();
    assertThat(ServiceIntegrations.of("Kinesis-PutRecord").operation()).isEqualTo("PutRecord");
  }
}
