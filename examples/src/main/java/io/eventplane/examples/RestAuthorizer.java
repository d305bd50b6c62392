package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Lambda authorizer of a REST API, TOKEN or REQUEST, whose verdict the token picks (TOKEN: the
 * {@code authorizationToken}; REQUEST: the {@code Authorization} header, else the {@code token} query
 * string parameter):
 * <ul>
 *   <li>{@code allow}: an IAM policy allowing {@code execute-api:Invoke} on every method of the stage
 *       ({@code arn:...:<apiId>/<stage>/*}), so a cached answer serves the API's other methods;</li>
 *   <li>{@code allow-exact}: allowing only the request's {@code methodArn};</li>
 *   <li>{@code deny}: a Deny statement on the stage; {@code elsewhere}: an Allow on another stage only;</li>
 *   <li>{@code key-<value>}: {@code allow} with {@code usageIdentifierKey} {@code <value>};</li>
 *   <li>{@code unauthorized}: throws "Unauthorized"; {@code fail}: throws another error;
 *       {@code nested}: a context with an object in it; anything else: a JSON string, no answer.</li>
 * </ul>
 * Allowing answers have principal {@code alice} and a context {@code {"user": "alice", "admin": true,
 * "level": 3, "nonce": <new UUID>}}: each call's nonce differs, so a client can count the calls.
 */
public class RestAuthorizer implements RequestHandler<Map<String, Object>, Object> {
  @Override
  public Object handleRequest(Map<String, Object> event, Context context) {
    String token = "TOKEN".equals(event.get("type")) ? (String) event.get("authorizationToken") : requestToken(event);
    String methodArn = String.valueOf(event.get("methodArn"));
    // arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>
    String[] parts = methodArn.split("/", 3);
    String stageArn = parts[0] + "/" + (parts.length > 1 ? parts[1] : "");
    String verdict = token == null ? "" : token;
    if (verdict.startsWith("key-")) return answer("Allow", stageArn + "/*", verdict.substring(4), false);
    return switch (verdict) {
      case "allow" -> answer("Allow", stageArn + "/*", null, false);
      case "allow-exact" -> answer("Allow", methodArn, null, false);
      case "deny" -> answer("Deny", stageArn + "/*", null, false);
      case "elsewhere" -> answer("Allow", parts[0] + "/another-stage/*", null, false);
      case "nested" -> answer("Allow", stageArn + "/*", null, true);
      case "unauthorized" -> throw new RuntimeException("Unauthorized");
      case "fail" -> throw new IllegalStateException("asked to fail");
      default -> "no answer an authorizer gives";
    };
  }

  private static Map<String, Object> answer(String effect, String resource, String usageIdentifierKey, boolean nested) {
    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Action", "execute-api:Invoke");
    statement.put("Effect", effect);
    statement.put("Resource", resource);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("user", "alice");
    claims.put("admin", true);
    claims.put("level", 3);
    claims.put("nonce", UUID.randomUUID().toString());
    if (nested) claims.put("roles", List.of("a", "b"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("principalId", "alice");
    out.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(statement)));
    out.put("context", claims);
    if (usageIdentifierKey != null) out.put("usageIdentifierKey", usageIdentifierKey);
    return out;
  }

  private static String requestToken(Map<String, Object> event) {
    if (event.get("headers") instanceof Map<?, ?> headers) {
      for (Map.Entry<?, ?> h : headers.entrySet()) {
        if (String.valueOf(h.getKey()).equalsIgnoreCase("authorization")) return String.valueOf(h.getValue());
      }
    }
    if (event.get("queryStringParameters") instanceof Map<?, ?> query && query.get("token") != null) {
      return String.valueOf(query.get("token"));
    }
    return null;
  }
}
