package io.eventplane.gateway.lambda;

import io.eventplane.gateway.binding.PathTemplate;
import java.util.Map;

/**
 * One operation of Lambda's REST-JSON API: its method and path (as the API reference gives them,
 * with {@code {Name}} labels), the status of its success, and how big its body may be.
 */
record LambdaRoute(String operation, String method, PathTemplate path, int successStatus, int maxBodyBytes) {
  /** What CreateFunction and UpdateFunctionCode take: a 50 MB package, base64 in JSON. */
  static final int CODE_BODY = 69_905_067;
  /** Invoke's synchronous payload limit. */
  static final int INVOKE_BODY = 6_291_456;
  static final int SMALL_BODY = 1_048_576;

  static LambdaRoute of(String operation, String method, String template, int status, int maxBody) {
    return new LambdaRoute(operation, method, PathTemplate.of(template), status, maxBody);
  }

  /** The labels' values (still percent-encoded) if the path is this route's, else null. */
  Map<String, String> match(String method, String path) {
    return this.method.equals(method) ? this.path.match(path) : null;
  }
}
