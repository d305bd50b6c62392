package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An authorizer's IdentitySource: the selection expressions naming where a request carries its
 * identity ({@code $request.header.Authorization}, {@code $request.querystring.token},
 * {@code $context.requestId}, {@code $stageVariables.name}). Parsed once per deployed stage.
 *
 * <p>API Gateway calls a Lambda authorizer only when every identity source is present and
 * non-empty, and uses their values as the key of its result cache.
 */
final class IdentitySources {
  /** UNKNOWN: an expression of no known form (the management API refuses those): never present. */
  private enum Kind { HEADER, QUERY, CONTEXT, STAGE_VARIABLE, UNKNOWN }

  private record Source(Kind kind, String name, String expression) {}

  private final List<Source> sources;

  private IdentitySources(List<Source> sources) {
    this.sources = sources;
  }

  /** From GetAuthorizer's IdentitySource (an array of expressions, or null for none). */
  static IdentitySources of(JsonArray identitySource) {
    List<Source> sources = new ArrayList<>();
    if (identitySource != null) {
      for (Object item : identitySource) {
        if (item instanceof String expression) sources.add(parse(expression.trim()));
      }
    }
    return new IdentitySources(List.copyOf(sources));
  }

  /**
   * From a REST API authorizer's identitySource: one string of comma-separated expressions
   * ({@code method.request.header.Auth, method.request.querystring.token, stageVariables.x,
   * context.requestId}); null or blank for none.
   */
  static IdentitySources ofRest(String identitySource) {
    List<Source> sources = new ArrayList<>();
    if (identitySource != null) {
      for (String part : identitySource.split(",")) {
        String expression = part.trim();
        if (!expression.isEmpty()) sources.add(parseRest(expression));
      }
    }
    return new IdentitySources(List.copyOf(sources));
  }

  private static Source parseRest(String expression) {
    if (expression.startsWith("method.request.header.")) {
      return new Source(Kind.HEADER, expression.substring("method.request.header.".length()), expression);
    }
    if (expression.startsWith("method.request.querystring.")) {
      return new Source(Kind.QUERY, expression.substring("method.request.querystring.".length()), expression);
    }
    if (expression.startsWith("stageVariables.")) {
      return new Source(Kind.STAGE_VARIABLE, expression.substring("stageVariables.".length()), expression);
    }
    if (expression.startsWith("context.")) {
      return new Source(Kind.CONTEXT, expression.substring("context.".length()), expression);
    }
    return new Source(Kind.UNKNOWN, expression, expression);
  }

  private static Source parse(String expression) {
    if (startsWithIgnoreCase(expression, "$request.header.")) {
      return new Source(Kind.HEADER, expression.substring("$request.header.".length()), expression);
    }
    if (startsWithIgnoreCase(expression, "$request.querystring.")) {
      return new Source(Kind.QUERY, expression.substring("$request.querystring.".length()), expression);
    }
    if (expression.startsWith("$stageVariables.")) {
      return new Source(Kind.STAGE_VARIABLE, expression.substring("$stageVariables.".length()), expression);
    }
    if (expression.startsWith("$context.")) {
      return new Source(Kind.CONTEXT, expression.substring("$context.".length()), expression);
    }
    return new Source(Kind.UNKNOWN, expression, expression);
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  int size() {
    return sources.size();
  }

  /**
   * The sources' values in the request, in their order; null when any is absent or empty (the
   * request is then refused with 401 without calling the authorizer).
   */
  List<String> values(AccessRequest request) {
    List<String> values = new ArrayList<>(sources.size());
    Map<String, List<String>> query = null;
    for (Source source : sources) {
      String value = switch (source.kind()) {
        case HEADER -> request.header(source.name());
        case QUERY -> {
          if (query == null) query = request.queryParameters();
          List<String> all = query.get(source.name());
          yield all == null ? null : String.join(",", all);
        }
        case STAGE_VARIABLE -> request.stageVariables().get(source.name());
        case CONTEXT -> contextVariable(request, source.name());
        case UNKNOWN -> null;
      };
      if (value == null || value.isEmpty()) return null;
      values.add(value);
    }
    return values;
  }

  /** The $context variables an identity source may name that the request knows. */
  private static String contextVariable(AccessRequest request, String name) {
    return switch (name) {
      case "accountId" -> request.account();
      case "apiId" -> request.apiId();
      case "domainName" -> request.domainName();
      case "httpMethod" -> request.method();
      case "identity.sourceIp" -> request.sourceIp();
      case "identity.userAgent" -> request.header("user-agent");
      case "path" -> request.rawPath();
      case "protocol" -> request.protocol();
      case "requestId" -> request.requestId();
      case "routeKey" -> request.routeKey();
      case "stage" -> request.stage();
      default -> null;
    };
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
