package io.eventplane.gateway.apigateway;

import io.eventplane.gateway.binding.PathTemplate;
import java.util.Map;

/**
 * One operation of API Gateway's REST-JSON API: its method and path (with {@code {Member}} labels
 * named as the input members they fill) and the status of its success.
 */
public record ApiGatewayRoute(String operation, String method, PathTemplate path, int successStatus) {

  public static ApiGatewayRoute of(String operation, String method, String template, int status) {
    return new ApiGatewayRoute(operation, method, PathTemplate.of(template), status);
  }

  public String template() {
    return path.template();
  }

  /** The labels' values (still percent-encoded) if the request is this route's, else null. */
  public Map<String, String> match(String method, String path) {
    return this.method.equals(method) ? this.path.match(path) : null;
  }
}
