package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Lambda authorizer of an HTTP API (AuthorizerType REQUEST), as the developer guide's "Working
 * with AWS Lambda authorizers for HTTP APIs" describes it:
 * <ul>
 *   <li>when an identity source is missing or empty, 401 {@code {"message":"Unauthorized"}}
 *       without calling the function;</li>
 *   <li>otherwise the function gets the authorizer event of AuthorizerPayloadFormatVersion 1.0 or
 *       2.0 ({@link AuthorizerEvents});</li>
 *   <li>its answer is, with EnableSimpleResponses (2.0 only), {@code {"isAuthorized": bool,
 *       "context": {...}}}; else an IAM policy {@code {"principalId", "policyDocument",
 *       "context"}} judged against the route ARN ({@link IamPolicy});</li>
 *   <li>not authorized or denied: 403 {@code {"message":"Forbidden"}}; the function failing, timing
 *       out or answering something else: 500 {@code {"message":"Internal Server Error"}};</li>
 *   <li>with AuthorizerResultTtlInSeconds above 0 (and identity sources), the answer is cached per
 *       identity-source values ({@link AuthorizerResultCache}); 0 turns caching off.</li>
 * </ul>
 *
 * <p>Use, once per deployed stage and authorizer, then per request, passing the gateway's Lambda
 * call bound to the authorizer's function ({@link #functionArn()}):
 * <pre>{@code
 * LambdaAuthorizer authorizer = LambdaAuthorizer.of(snapshotAuthorizer, resultCache);
 * authorizer.authorize(accessRequest, event -> lambda.invoke(authorizer.functionArn(), event))
 *     .onSuccess(decision -> ...); // as JwtAuthorizer's
 * }</pre>
 * {@code invokeFunction} gets the event and completes with the function's JSON answer, or fails
 * when the function failed. The returned future always succeeds. Immutable and thread-safe.
 */
public final class LambdaAuthorizer {
  private final String authorizerId;
  private final String functionArn;
  private final String payloadFormatVersion;
  private final boolean simpleResponses;
  private final long ttlSeconds;
  private final IdentitySources identitySources;
  private final AuthorizerResultCache cache;

  private LambdaAuthorizer(String authorizerId, String functionArn, String payloadFormatVersion,
      boolean simpleResponses, long ttlSeconds, IdentitySources identitySources, AuthorizerResultCache cache) {
    this.authorizerId = authorizerId;
    this.functionArn = functionArn;
    this.payloadFormatVersion = payloadFormatVersion;
    this.simpleResponses = simpleResponses;
    this.ttlSeconds = ttlSeconds;
    this.identitySources = identitySources;
    this.cache = cache;
  }

  /** From an authorizer of the deployed stage snapshot (a GetAuthorizer output, AuthorizerType REQUEST). */
  public static LambdaAuthorizer of(JsonObject authorizer, AuthorizerResultCache cache) {
    String version = authorizer.getString("AuthorizerPayloadFormatVersion", "2.0");
    boolean simple = "2.0".equals(version) && authorizer.getBoolean("EnableSimpleResponses", false);
    Number ttl = authorizer.getNumber("AuthorizerResultTtlInSeconds");
    String uri = authorizer.getString("AuthorizerUri", "");
    return new LambdaAuthorizer(authorizer.getString("AuthorizerId", ""), functionArnOf(uri), version, simple,
        ttl == null ? 0 : Math.max(0, ttl.longValue()), IdentitySources.of(authorizer.getJsonArray("IdentitySource")),
        Objects.requireNonNull(cache, "cache"));
  }

  /**
   * The function an AuthorizerUri invokes: from
   * {@code arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations}
   * the function ARN; any other value as it is (a plain function ARN or name).
   */
  static String functionArnOf(String authorizerUri) {
    String marker = "/functions/";
    int start = authorizerUri.indexOf(marker);
    if (!authorizerUri.startsWith("arn:aws:apigateway:") || start < 0) return authorizerUri;
    String rest = authorizerUri.substring(start + marker.length());
    return rest.endsWith("/invocations") ? rest.substring(0, rest.length() - "/invocations".length()) : rest;
  }

  /** The function to invoke: a Lambda function ARN (possibly with a qualifier) or name. */
  public String functionArn() {
    return functionArn;
  }

  public Future<AccessDecision> authorize(AccessRequest request, Function<JsonObject, Future<JsonObject>> invokeFunction) {
    List<String> values = identitySources.values(request);
    if (values == null) return Future.succeededFuture(AccessDecision.refuse(Refusal.UNAUTHORIZED));
    String cacheKey = ttlSeconds > 0 && !identitySources.isEmpty()
        ? request.apiId() + "\n" + authorizerId + "\n" + String.join("\n", values) : null;
    JsonObject cached = cacheKey == null ? null : cache.get(cacheKey);
    if (cached != null) return Future.succeededFuture(judge(cached, request));
    JsonObject event = "1.0".equals(payloadFormatVersion)
        ? AuthorizerEvents.version1(request, values) : AuthorizerEvents.version2(request, values);
    Future<JsonObject> answer;
    try {
      answer = invokeFunction.apply(event);
    } catch (RuntimeException e) {
      answer = null;
    }
    if (answer == null) return Future.succeededFuture(AccessDecision.refuse(Refusal.INTERNAL_ERROR));
    return answer.map(response -> {
      AccessDecision decision = judge(response, request);
      if (cacheKey != null && decision.refusal() != Refusal.INTERNAL_ERROR) cache.put(cacheKey, response, ttlSeconds);
      return decision;
    }).otherwise(failure -> AccessDecision.refuse(Refusal.INTERNAL_ERROR));
  }

  private AccessDecision judge(JsonObject response, AccessRequest request) {
    if (response == null) return AccessDecision.refuse(Refusal.INTERNAL_ERROR);
    Object context = response.getValue("context");
    if (context != null && !(context instanceof JsonObject)) return AccessDecision.refuse(Refusal.INTERNAL_ERROR);
    if (simpleResponses) {
      Object authorized = response.getValue("isAuthorized");
      if (!(authorized instanceof Boolean yes)) return AccessDecision.refuse(Refusal.INTERNAL_ERROR);
      return yes ? allow((JsonObject) context, null) : AccessDecision.refuse(Refusal.FORBIDDEN);
    }
    Object principal = response.getValue("principalId");
    if (principal != null && !(principal instanceof String)) return AccessDecision.refuse(Refusal.INTERNAL_ERROR);
    return switch (IamPolicy.judge(response.getValue("policyDocument"), request.routeArn())) {
      case ALLOW -> allow((JsonObject) context, (String) principal);
      case DENY -> AccessDecision.refuse(Refusal.FORBIDDEN);
      case INVALID -> AccessDecision.refuse(Refusal.INTERNAL_ERROR);
    };
  }

  private static AccessDecision allow(JsonObject context, String principalId) {
    JsonObject lambda = context == null ? null : context.copy();
    JsonObject forPayload1 = context == null ? new JsonObject() : context.copy();
    if (principalId != null) forPayload1.put("principalId", principalId);
    return AccessDecision.allow(new JsonObject().put("lambda", lambda), forPayload1);
  }

  @Override
  public String toString() {
    return "LambdaAuthorizer[" + authorizerId + " " + functionArn + " " + payloadFormatVersion
        + (simpleResponses ? " simple" : " policy") + " ttl " + ttlSeconds + "]";
  }
}
