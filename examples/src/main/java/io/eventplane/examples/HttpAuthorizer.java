package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Lambda REQUEST authorizer of an HTTP API whose verdict the request's {@code Authorization}
 * header picks: {@code allow} / {@code deny} answer as simple responses ({@code isAuthorized});
 * {@code policy-allow} / {@code policy-deny} answer an IAM policy allowing or denying
 * {@code execute-api:Invoke} on exactly the request's route ARN ({@code routeArn}, or
 * {@code methodArn} in payload format 1.0), with principal {@code alice}; {@code fail} throws;
 * anything else answers a JSON string, which is no authorizer answer. Allowing answers carry a
 * context {@code {"user": "alice", "nonce": <new UUID>}}: each call's nonce differs, so a client
 * can tell a cached answer from a new call.
 */
public class HttpAuthorizer implements RequestHandler<Map<String, Object>, Object> {
  @Override
  public Object handleRequest(Map<String, Object> event, Context context) {
    String verdict = header(event, "authorization");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("user", "alice");
    claims.put("nonce", UUID.randomUUID().toString());
    Map<String, Object> out = new LinkedHashMap<>();
    switch (verdict == null ? "" : verdict) {
      case "allow" -> {
        out.put("isAuthorized", true);
        out.put("context", claims);
      }
      case "deny" -> out.put("isAuthorized", false);
      case "policy-allow", "policy-deny" -> {
        Object arn = event.containsKey("routeArn") ? event.get("routeArn") : event.get("methodArn");
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", verdict.equals("policy-allow") ? "Allow" : "Deny");
        statement.put("Resource", List.of(String.valueOf(arn)));
        out.put("principalId", "alice");
        out.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
        out.put("context", claims);
      }
      case "fail" -> throw new IllegalStateException("asked to fail");
      default -> {
        return "no answer an authorizer gives";
      }
    }
    return out;
  }

  private static String header(Map<String, Object> event, String name) {
    if (!(event.get("headers") instanceof Map<?, ?> headers)) return null;
    for (Map.Entry<?, ?> h : headers.entrySet()) {
      if (String.valueOf(h.getKey()).equalsIgnoreCase(name)) return String.valueOf(h.getValue());
    }
    return null;
  }
}
