package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.apigateway.invoke.InvokeRequest;
import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.invoke.access.AccessRequest;
import io.eventplane.gateway.apigateway.invoke.access.AuthorizerResultCache;
import io.eventplane.gateway.apigateway.invoke.access.IamCaller;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer.FunctionAnswer;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST API method's {@code authorizationType} applied to one request ("Control and manage access to
 * REST APIs" in the developer guide): NONE lets it through; CUSTOM asks the method's Lambda authorizer
 * ({@link RestLambdaAuthorizer}, TOKEN or REQUEST) and answers its refusals as REST APIs' gateway
 * responses do (401 UnauthorizedException, 403 AccessDeniedException, 500
 * AuthorizerConfigurationException); AWS_IAM wants a SigV4 signature ({@link IamCaller}: the signature
 * itself is not verified yet), else 403 Missing Authentication Token. COGNITO_USER_POOLS is not served:
 * there is no Cognito here, so such methods answer 500 with a log line.
 */
final class RestAuthorization {
  private static final System.Logger LOG = System.getLogger(RestAuthorization.class.getName());
  /** How long an authorizer's function may take before the request gets 500. */
  static final int AUTHORIZER_TIMEOUT_MILLIS = 30_000;
  private static final Pattern LAMBDA_ARN = Pattern.compile("arn:[^:]+:lambda:([^:]+):(\\d{12}):function:.+");

  /**
   * What an allowed request carries on to its integration: the Lambda authorizer's principalId, context and
   * usageIdentifierKey, or the AWS_IAM caller's identity ({@code accessKey}, {@code accountId}, {@code caller},
   * {@code user}, {@code userArn}); nulls and empties when the method has none.
   */
  record Grant(String principalId, JsonObject context, String usageIdentifierKey, long integrationLatency,
      JsonObject iamIdentity, boolean custom) {
    static final Grant NONE = new Grant(null, new JsonObject(), null, 0, null, false);

    /** {@code requestContext.authorizer} of the Lambda proxy event: principalId, integrationLatency, the context's members as strings. */
    JsonObject proxyAuthorizer() {
      if (!custom) return null;
      JsonObject out = new JsonObject();
      if (principalId != null) out.put("principalId", principalId);
      out.put("integrationLatency", integrationLatency);
      context.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
      return out;
    }

    /** {@code $context.authorizer.*} of mapping templates: principalId and the context's members, as strings. */
    Map<String, Object> templateAuthorizer() {
      Map<String, Object> out = new LinkedHashMap<>();
      if (!custom) return out;
      out.put("principalId", principalId);
      context.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
      return out;
    }
  }

  /** Either a grant or the response to send instead. */
  record Outcome(Grant grant, InvokeResponse refusal) {}

  private final Vertx vertx;
  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;
  private final AuthorizerResultCache results;
  private final Map<String, Optional<RestLambdaAuthorizer>> authorizers = new ConcurrentHashMap<>();

  RestAuthorization(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, AuthorizerResultCache results) {
    this.vertx = vertx;
    this.bus = bus;
    this.results = results;
  }

  Future<Outcome> authorize(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage, String stagePath,
      RestResourceMatch.Match match, Map<String, String> stageVariables) {
    JsonObject method = match.method();
    String type = method.getString("authorizationType", "NONE");
    switch (type) {
      case "NONE":
        return Future.succeededFuture(new Outcome(Grant.NONE, null));
      case "AWS_IAM": {
        IamCaller caller = IamCaller.of(access(request, snapshot, stage, stagePath, match, stageVariables), context.accountId());
        if (caller == null) return refuse(RestAnswers.missingToken());
        return Future.succeededFuture(new Outcome(
            new Grant(null, new JsonObject(), null, 0, IamCaller.identityOf(caller.iam()), false), null));
      }
      case "CUSTOM":
        break;
      default:
        LOG.log(System.Logger.Level.WARNING, "REST API {0} {1} {2}: authorization {3} is not served here (no Cognito user pools)",
            request.apiId(), request.method(), match.resourcePath(), type);
        return refuse(RestAnswers.internalError());
    }
    RestLambdaAuthorizer authorizer = authorizerOf(snapshot, request.apiId(), method.getString("authorizerId"));
    if (authorizer == null) {
      LOG.log(System.Logger.Level.WARNING, "REST API {0} {1} {2}: the method's authorizer {3} is not a Lambda authorizer of the deployment",
          request.apiId(), request.method(), match.resourcePath(), method.getString("authorizerId"));
      return refuse(RestAnswers.authorizerConfigurationError());
    }
    String account = snapshot.getString("Account");
    String region = snapshot.getString("Region");
    RequestContext callContext = new RequestContext(account, region, request.requestId(), context.baseUrl());
    long started = System.nanoTime();
    AccessRequest access = access(request, snapshot, stage, stagePath, match, stageVariables);
    return authorizer.authorize(access, () -> requestEvent(request, account, stage, stagePath, match, stageVariables),
        event -> invoke(authorizer.functionArn(), event, callContext)).map(verdict -> outcome(verdict, started));
  }

  private static Outcome outcome(Verdict verdict, long started) {
    return switch (verdict.outcome()) {
      case ALLOW -> new Outcome(new Grant(verdict.principalId(), verdict.context(), verdict.usageIdentifierKey(),
          verdict.cached() ? 0 : (System.nanoTime() - started) / 1_000_000, null, true), null);
      case UNAUTHORIZED -> new Outcome(null, RestAnswers.unauthorized());
      case EXPLICIT_DENY -> new Outcome(null, RestAnswers.explicitDeny());
      case IMPLICIT_DENY -> new Outcome(null, RestAnswers.implicitDeny());
      case CONFIGURATION_ERROR -> new Outcome(null, RestAnswers.authorizerConfigurationError());
    };
  }

  private static Future<Outcome> refuse(InvokeResponse response) {
    return Future.succeededFuture(new Outcome(null, response));
  }

  /** The deployment's authorizer of that id (made once per deployment), or null when there is no Lambda authorizer of that id. */
  private RestLambdaAuthorizer authorizerOf(JsonObject snapshot, String apiId, String authorizerId) {
    if (authorizerId == null) return null;
    String deployment = snapshot.getJsonObject("Stage", new JsonObject()).getString("deploymentId", "");
    if (authorizers.size() > 1_000) authorizers.clear();
    return authorizers.computeIfAbsent(apiId + "/" + deployment + "/" + authorizerId, k -> {
      for (Object a : snapshot.getJsonArray("Authorizers", new JsonArray())) {
        if (a instanceof JsonObject j && authorizerId.equals(j.getString("id"))) {
          return Optional.ofNullable(RestLambdaAuthorizer.of(j, results));
        }
      }
      return Optional.empty();
    }).orElse(null);
  }

  private static AccessRequest access(InvokeRequest request, JsonObject snapshot, String stage, String stagePath,
      RestResourceMatch.Match match, Map<String, String> stageVariables) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : request.headers()) headers.add(h.getKey(), h.getValue());
    return new AccessRequest(snapshot.getString("Account", ""), snapshot.getString("Region", ""), request.apiId(), stage,
        request.method() + " " + match.resourcePath(), request.method(), stagePath, request.rawQuery(), headers,
        match.pathParameters(), stageVariables, request.sourceIp(), request.requestId(), request.timeEpochMillis(),
        request.domainName(), request.protocol());
  }

  /** A REQUEST authorizer's event: the Lambda proxy event of the request, without its body. */
  private static JsonObject requestEvent(InvokeRequest request, String account, String stage, String stagePath,
      RestResourceMatch.Match match, Map<String, String> stageVariables) {
    JsonObject event = RestProxyEvent.of(request, account, stage, stagePath, match, stageVariables, null, null, Grant.NONE, false);
    event.remove("body");
    event.remove("isBase64Encoded");
    return event;
  }

  /** Calls the authorizer's function; fails when the call fails or takes longer than {@link #AUTHORIZER_TIMEOUT_MILLIS}. */
  private Future<FunctionAnswer> invoke(String function, JsonObject event, RequestContext callContext) {
    Matcher arn = LAMBDA_ARN.matcher(function);
    RequestContext context = arn.matches()
        ? new RequestContext(arn.group(2), arn.group(1), callContext.requestId(), callContext.baseUrl()) : callContext;
    JsonObject input = new JsonObject().put("FunctionName", function).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    Promise<FunctionAnswer> settled = Promise.promise();
    long timer = vertx.setTimer(AUTHORIZER_TIMEOUT_MILLIS,
        t -> settled.tryFail(new TimeoutException("authorizer " + function + " did not answer in time")));
    bus.apply(Contracts.LAMBDA, new ApiRequest("Invoke", input, context)).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        settled.tryFail(ar.cause());
        return;
      }
      ApiReply reply = ar.result();
      if (!reply.succeeded()) {
        settled.tryFail(new IllegalStateException("Lambda Invoke of authorizer " + function + " failed: "
            + reply.error().code() + " " + reply.error().message()));
        return;
      }
      Object payload;
      try {
        payload = Json.decodeValue(Buffer.buffer(reply.output().getBinary("Payload", new byte[0])));
      } catch (DecodeException e) {
        payload = null;
      }
      if (reply.output().getString("FunctionError") != null) {
        String message = payload instanceof JsonObject j && j.getValue("errorMessage") instanceof String s ? s : null;
        settled.tryComplete(FunctionAnswer.failure(message));
      } else {
        settled.tryComplete(FunctionAnswer.of(payload));
      }
    });
    return settled.future().onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "{0}", failure.getMessage()));
  }
}
