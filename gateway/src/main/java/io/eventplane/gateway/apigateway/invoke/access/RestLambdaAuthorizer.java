package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Lambda authorizer of a REST API (a method with authorizationType CUSTOM), as the REST API
 * developer guide's "Use API Gateway Lambda authorizers" describes it:
 * <ul>
 *   <li>TOKEN: the token is the one header its {@code identitySource}
 *       ({@code method.request.header.X}) names; missing or empty, or not matching the
 *       {@code identityValidationExpression}, 401 without calling the function. The function gets
 *       {@code {"type":"TOKEN","authorizationToken":...,"methodArn":...}}.</li>
 *   <li>REQUEST: every identity source ({@code method.request.header.X},
 *       {@code method.request.querystring.X}, {@code stageVariables.X}, {@code context.X}) must be
 *       present and non-empty, else 401. The function gets the proxy-like event the caller builds,
 *       with {@code type} REQUEST and {@code methodArn}.</li>
 *   <li>The answer {@code {"principalId", "policyDocument", "context", "usageIdentifierKey"}}: its
 *       policy judged against the method ARN ({@link IamPolicy}): a Deny statement matching, or no
 *       Allow matching, is a denial (REST APIs tell them apart); the function throwing an error
 *       whose message is {@code Unauthorized}, 401; failing otherwise, timing out, or answering no
 *       policy (or a context whose values are not strings, numbers or booleans), an authorizer
 *       configuration error (500).</li>
 *   <li>With {@code authorizerResultTtlInSeconds} above 0 the whole answer is kept per identity
 *       source values ({@link AuthorizerResultCache}, shared with HTTP APIs' authorizers), so a
 *       request to another method of the API is judged from the cached policy.</li>
 * </ul>
 * Immutable and thread-safe; made once per deployed authorizer.
 */
public final class RestLambdaAuthorizer {
  /** What the function answered: its JSON payload, or, when it failed, its errorMessage (maybe null). */
  public record FunctionAnswer(Object payload, boolean failed, String errorMessage) {
    public static FunctionAnswer of(Object payload) {
      return new FunctionAnswer(payload, false, null);
    }

    public static FunctionAnswer failure(String errorMessage) {
      return new FunctionAnswer(null, true, errorMessage);
    }
  }

  /** How the request fares. */
  public enum Outcome { ALLOW, UNAUTHORIZED, EXPLICIT_DENY, IMPLICIT_DENY, CONFIGURATION_ERROR }

  /**
   * The verdict; when allowed, the answer's principalId (maybe null), context (maybe empty) and
   * usageIdentifierKey (maybe null); {@code cached} when no function was called for it.
   */
  public record Verdict(Outcome outcome, String principalId, JsonObject context, String usageIdentifierKey, boolean cached) {
    static Verdict of(Outcome outcome) {
      return new Verdict(outcome, null, new JsonObject(), null, false);
    }
  }

  private enum Type { TOKEN, REQUEST }

  private final String authorizerId;
  private final Type type;
  private final String functionArn;
  private final long ttlSeconds;
  private final IdentitySources identitySources;
  private final Pattern validation;
  private final boolean broken;
  private final AuthorizerResultCache cache;

  private RestLambdaAuthorizer(String authorizerId, Type type, String functionArn, long ttlSeconds,
      IdentitySources identitySources, Pattern validation, boolean broken, AuthorizerResultCache cache) {
    this.authorizerId = authorizerId;
    this.type = type;
    this.functionArn = functionArn;
    this.ttlSeconds = ttlSeconds;
    this.identitySources = identitySources;
    this.validation = validation;
    this.broken = broken;
    this.cache = cache;
  }

  /**
   * From an authorizer of a REST deployment snapshot (a GetAuthorizer output: {@code id}, {@code type}
   * TOKEN or REQUEST, {@code authorizerUri}, {@code identitySource}, {@code identityValidationExpression},
   * {@code authorizerResultTtlInSeconds}); null for another type (COGNITO_USER_POOLS).
   */
  public static RestLambdaAuthorizer of(JsonObject authorizer, AuthorizerResultCache cache) {
    Type type;
    switch (authorizer.getString("type", "")) {
      case "TOKEN" -> type = Type.TOKEN;
      case "REQUEST" -> type = Type.REQUEST;
      default -> {
        return null;
      }
    }
    Pattern validation = null;
    boolean broken = false;
    String expression = authorizer.getString("identityValidationExpression");
    if (type == Type.TOKEN && expression != null && !expression.isEmpty()) {
      try {
        validation = Pattern.compile(expression);
      } catch (PatternSyntaxException e) {
        broken = true;
      }
    }
    IdentitySources sources = IdentitySources.ofRest(authorizer.getString("identitySource"));
    if (type == Type.TOKEN && sources.size() != 1) broken = true;
    Number ttl = authorizer.getNumber("authorizerResultTtlInSeconds");
    return new RestLambdaAuthorizer(authorizer.getString("id", ""), type,
        LambdaAuthorizer.functionArnOf(authorizer.getString("authorizerUri", "")),
        ttl == null ? 0 : Math.max(0, ttl.longValue()), sources, validation, broken, Objects.requireNonNull(cache, "cache"));
  }

  /** The function to invoke: a Lambda function ARN (possibly with a qualifier) or name. */
  public String functionArn() {
    return functionArn;
  }

  /**
   * Judges one request; the returned future always succeeds.
   *
   * @param requestEvent the REQUEST event without {@code type} and {@code methodArn} (made only when needed)
   * @param invokeFunction calls the function with the event; fails when the call itself failed or timed out
   */
  public Future<Verdict> authorize(AccessRequest request, Supplier<JsonObject> requestEvent,
      Function<JsonObject, Future<FunctionAnswer>> invokeFunction) {
    if (broken) return Future.succeededFuture(Verdict.of(Outcome.CONFIGURATION_ERROR));
    List<String> values = identitySources.values(request);
    if (values == null) return Future.succeededFuture(Verdict.of(Outcome.UNAUTHORIZED));
    if (validation != null && !validation.matcher(values.get(0)).matches()) {
      return Future.succeededFuture(Verdict.of(Outcome.UNAUTHORIZED));
    }
    String cacheKey = ttlSeconds > 0 && !identitySources.isEmpty()
        ? request.apiId() + "\n" + authorizerId + "\n" + String.join("\n", values) : null;
    JsonObject cached = cacheKey == null ? null : cache.get(cacheKey);
    if (cached != null) return Future.succeededFuture(judge(cached, request, true));
    JsonObject event;
    if (type == Type.TOKEN) {
      event = new JsonObject().put("type", "TOKEN").put("authorizationToken", values.get(0)).put("methodArn", request.routeArn());
    } else {
      event = new JsonObject().put("type", "REQUEST").put("methodArn", request.routeArn());
      event.mergeIn(requestEvent.get());
    }
    Future<FunctionAnswer> answer;
    try {
      answer = invokeFunction.apply(event);
    } catch (RuntimeException e) {
      return Future.succeededFuture(Verdict.of(Outcome.CONFIGURATION_ERROR));
    }
    return answer.map(reply -> {
      if (reply.failed()) {
        return Verdict.of("Unauthorized".equals(reply.errorMessage()) ? Outcome.UNAUTHORIZED : Outcome.CONFIGURATION_ERROR);
      }
      if (!(reply.payload() instanceof JsonObject response)) return Verdict.of(Outcome.CONFIGURATION_ERROR);
      Verdict verdict = judge(response, request, false);
      if (cacheKey != null && verdict.outcome() != Outcome.CONFIGURATION_ERROR) cache.put(cacheKey, response, ttlSeconds);
      return verdict;
    }).otherwise(failure -> Verdict.of(Outcome.CONFIGURATION_ERROR));
  }

  private static Verdict judge(JsonObject response, AccessRequest request, boolean cached) {
    Object principal = response.getValue("principalId");
    Object context = response.getValue("context");
    Object key = response.getValue("usageIdentifierKey");
    if (principal != null && !(principal instanceof String)
        || context != null && !(context instanceof JsonObject)
        || key != null && !(key instanceof String)) {
      return Verdict.of(Outcome.CONFIGURATION_ERROR);
    }
    JsonObject members = context == null ? new JsonObject() : ((JsonObject) context).copy();
    for (String name : members.fieldNames()) {
      Object value = members.getValue(name);
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        return Verdict.of(Outcome.CONFIGURATION_ERROR);
      }
    }
    return switch (IamPolicy.evaluate(response.getValue("policyDocument"), request.routeArn())) {
      case ALLOW -> new Verdict(Outcome.ALLOW, (String) principal, members, (String) key, cached);
      case EXPLICIT_DENY -> Verdict.of(Outcome.EXPLICIT_DENY);
      case IMPLICIT_DENY -> Verdict.of(Outcome.IMPLICIT_DENY);
      case INVALID -> Verdict.of(Outcome.CONFIGURATION_ERROR);
    };
  }

  @Override
  public String toString() {
    return "RestLambdaAuthorizer[" + authorizerId + " " + type + " " + functionArn + " ttl " + ttlSeconds + "]";
  }
}
