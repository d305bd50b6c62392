package io.eventplane.gateway.authz;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * "Actions, resources, and condition keys for Amazon API Gateway Management" (and V2): the action
 * is the HTTP method ({@code apigateway:GET}, POST, PUT, PATCH, DELETE) and the resource the path
 * itself, {@code arn:aws:apigateway:region::/restapis/id/...} (v2's {@code /v2/apis/...} paths are
 * the resources {@code /apis/...}). Every operation of both APIs follows this rule.
 */
final class ApiGatewayActions implements ServiceActions {
  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private final Set<String> operations;

  ApiGatewayActions(Set<String> operations) {
    this.operations = Set.copyOf(operations);
  }

  @Override
  public String signingName() {
    return "apigateway";
  }

  @Override
  public Set<String> operations() {
    return operations;
  }

  @Override
  public List<Target> targets(ApiCall call, io.eventplane.common.bus.RequestContext context) {
    if (!operations.contains(call.operation()) || call.method() == null || call.path() == null) {
      throw new IllegalArgumentException("no IAM action for apigateway " + call.operation());
    }
    String method = call.method().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) throw new IllegalArgumentException("no IAM action for apigateway " + method);
    return List.of(Target.of("apigateway:" + method, resource(context.region(), call.path())));
  }

  static String resource(String region, String path) {
    int query = path.indexOf('?');
    String p = query < 0 ? path : path.substring(0, query);
    if (p.startsWith("/v2/")) p = p.substring(3);
    return "arn:aws:apigateway:" + region + "::" + p;
  }
}
