package io.eventplane.gateway.apigateway.template;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test requests: the $context and parameters of AWS's documented examples. */
final class Requests {
  static final Instant REQUEST_TIME = Instant.parse("2026-12-05T09:04:05.123Z");

  private Requests() {
  }

  static ContextVariables context() {
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("sourceIp", "192.0.2.1");
    identity.put("userAgent", "curl/7.84.0");
    identity.put("accountId", "111122223333");
    identity.put("apiKey", "MyTestKey");
    identity.put("caller", "ABCD-0000-12345");
    identity.put("user", "ABCD-0000-12345");
    identity.put("userArn", "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar");
    Map<String, Object> authorizer = new LinkedHashMap<>();
    authorizer.put("principalId", "user|a1b2c3d4");
    authorizer.put("key", "value");
    authorizer.put("numKey", 1);
    authorizer.put("boolKey", true);
    return new ContextVariables("abcdefg-000-000-0000-abcdefg", "ZxVvXGv3oAMF2ng=", "111122223333", "abcd1234", "prod",
        "efg567", "/", "GET", "/prod/", "HTTP/1.1", "abcd1234.execute-api.us-east-1.amazonaws.com", REQUEST_TIME,
        identity, authorizer);
  }

  static TemplateVariables body(String body) {
    return new TemplateVariables(body, RequestParameters.NONE, context(), Map.of());
  }

  static TemplateVariables of(String body, RequestParameters params) {
    return new TemplateVariables(body, params, context(), Map.of());
  }

  @SafeVarargs
  static Map<String, String> map(Map.Entry<String, String>... entries) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) m.put(e.getKey(), e.getValue());
    return m;
  }
}
