package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.ApiGatewayThrottle;
import io.eventplane.common.error.Fault;
import io.eventplane.gateway.apigateway.invoke.access.AccessDecision;
import io.eventplane.gateway.apigateway.invoke.access.AccessRequest;
import io.eventplane.gateway.apigateway.invoke.access.IamCaller;
import io.eventplane.gateway.apigateway.invoke.access.Refusal;
import io.eventplane.gateway.apigateway.invoke.limits.CorsPolicy;
import io.eventplane.gateway.apigateway.invoke.limits.Throttles;
import io.eventplane.gateway.apigateway.invoke.rest.RestAnswers;
import io.eventplane.gateway.apigateway.invoke.rest.RestInvoke;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invoke plane of HTTP APIs (API Gateway v2): a request to an invoke URL,
 * {@code http://<apiId>.execute-api.<any domain>/<stage>/<path>} ({@code /<path>} for the
 * {@code $default} stage) or {@code /_eventplane/execute-api/<apiId>/<stage>/<path>} on the edge
 * port, is served from the stage's deployed snapshot (cached per node in {@link DeployedStages}): the
 * route is selected, and its integration called over the event bus (Lambda proxy in payload format
 * 1.0 or 2.0, an AWS service by integration subtype) or over HTTP (HTTP_PROXY). API Gateway's own
 * answers are {@code {"message": ...}}: 404 Not Found for an unknown API, stage or route (a REST
 * API's unknown stage is 403 Forbidden, {@code x-amzn-ErrorType: ForbiddenException}), 500 for
 * an integration that fails, 503 for one that does not answer within TimeoutInMillis.
 */
public final class InvokeRoute {
  private static final System.Logger LOG = System.getLogger(InvokeRoute.class.getName());

  /** API Gateway's payload limit. */
  public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
  /** The path form of invoke URLs on the edge port. */
  public static final String PATH_PREFIX = "/_eventplane/execute-api/";
  /** How long a Lambda authorizer's function may take before the request gets 500. */
  static final int AUTHORIZER_TIMEOUT_MILLIS = 30_000;
  private static final Pattern HOST = Pattern.compile("([a-z0-9]{10})\\.execute-api\\..*", Pattern.CASE_INSENSITIVE);
  private static final Pattern FUNCTION_IN_URI = Pattern.compile("arn:[^:]+:apigateway:[^:]*:lambda:path/[^/]+/functions/(.+)/invocations");
  private static final Pattern LAMBDA_ARN = Pattern.compile("arn:[^:]+:lambda:([^:]+):(\\d{12}):function:.+");

  /**
   * Where a request goes: the API and the path after it (stage included), or, by a custom domain's
   * mapping to a stage, the API, that stage and the path after the mapping's key. A null API is a
   * custom domain's request that no mapping takes (403 Forbidden).
   */
  public record Target(String apiId, String path, String stage) {
    public Target(String apiId, String path) {
      this(apiId, path, null);
    }
  }

  private final Vertx vertx;
  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;
  private final DeployedStages stages;
  private final CustomDomains domains;
  private final InvokeGuards guards;
  private HttpProxy httpProxy;
  private RestInvoke restInvoke;

  /** @param bus sends a request to a service's address (through its lanes) and answers with its reply */
  public InvokeRoute(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this(vertx, bus, Clock.systemUTC());
  }

  /**
   * @param bus sends a request to a service's address (through its lanes) and answers with its reply
   * @param clock the gateway's clock: throttles, token lifetimes and authorizer caches run on it
   */
  public InvokeRoute(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, Clock clock) {
    this(vertx, bus, clock, ApiGatewayThrottle.AWS_DEFAULT);
  }

  /**
   * @param accountThrottle the node's account-level throttle of HTTP APIs ({@code --apigateway-throttle})
   */
  public InvokeRoute(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, Clock clock,
      ApiGatewayThrottle accountThrottle) {
    this(vertx, bus, DeployedStages.of(vertx, bus), InvokeGuards.of(vertx, clock, accountThrottle));
  }

  InvokeRoute(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, DeployedStages stages) {
    this(vertx, bus, stages, InvokeGuards.of(vertx, Clock.systemUTC()));
  }

  InvokeRoute(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, DeployedStages stages,
      InvokeGuards guards) {
    this.vertx = vertx;
    this.bus = bus;
    this.stages = stages;
    this.guards = guards;
    this.domains = CustomDomains.of(vertx, bus);
  }

  /** The invoke target a request names by its Host header or its path, or null when it is no invoke request. */
  public static Target target(String host, String path) {
    if (path.startsWith(PATH_PREFIX)) {
      String rest = path.substring(PATH_PREFIX.length());
      int slash = rest.indexOf('/');
      String apiId = slash < 0 ? rest : rest.substring(0, slash);
      return apiId.isEmpty() ? null : new Target(apiId.toLowerCase(Locale.ROOT), slash < 0 ? "/" : rest.substring(slash));
    }
    if (host != null) {
      Matcher m = HOST.matcher(host);
      if (m.matches()) return new Target(m.group(1).toLowerCase(Locale.ROOT), path.isEmpty() ? "/" : path);
    }
    return null;
  }

  /**
   * The invoke target of a request to a custom domain name (see {@link CustomDomains}): completes
   * with null when the host is no domain name here, a target without an API when no mapping takes
   * the path, else the mapped API and stage. Call only for {@link CustomDomains#candidate} hosts;
   * the answer is cached, so after the first request it is complete at once.
   */
  public Future<Target> customDomain(String name, String path, RequestContext context) {
    return domains.get(name, context).map(reply -> {
      if (!reply.succeeded()) {
        if ("NotFoundException".equals(reply.error().code())) return null;
        throw new IllegalStateException("custom domain " + name + ": " + reply.error().message());
      }
      // Only an answer naming the domain's mappings makes the host a domain (not, say, a stand-in bus's empty reply).
      if (!(reply.output().getValue("Mappings") instanceof JsonArray)) return null;
      Target target = CustomDomains.resolve(reply.output(), path.isEmpty() ? "/" : path);
      return target == null ? new Target(null, path) : target;
    });
  }

  /** The host's name when it could be a custom domain name (dotted, ending in letters), else null. */
  public static String customDomainCandidate(String host) {
    return host == null ? null : CustomDomains.candidate(host);
  }

  /** The host a client addressed, without its port: requestContext.domainName. */
  public static String domainName(String host) {
    if (host == null) return "";
    if (host.startsWith("[")) return host.substring(0, host.indexOf(']') + 1);
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** Serves one request; always completes with an answer. */
  public Future<InvokeResponse> handle(InvokeRequest request, RequestContext context) {
    return handle(request, context, null, false);
  }

  /**
   * Serves one request; always completes with an answer.
   *
   * @param stage the stage a custom domain's mapping names (the request's path is then the path
   *     after its key), or null to find it in the path
   * @param byDomain whether the request came by a custom domain name rather than an execute-api URL
   */
  public Future<InvokeResponse> handle(InvokeRequest request, RequestContext context, String stage, boolean byDomain) {
    Future<InvokeResponse> answer;
    try {
      if (request.apiId() == null) {
        // A custom domain name whose mappings do not take the path: API Gateway's answer.
        answer = Future.succeededFuture(InvokeResponse.message(403, "Forbidden").withHeader("x-amzn-ErrorType", "ForbiddenException"));
      } else {
        // A custom domain's request (a mapped stage, or a mapping leaving the stage to the path) is
        // served even when the API turned its execute-api endpoint off: that is what the setting is for.
        answer = stage != null ? serveStage(request, context, stage, request.path(), byDomain) : serve(request, context, byDomain);
      }
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.recover(failure -> {
      LOG.log(System.Logger.Level.ERROR, "invoke " + request.method() + " " + request.path() + " of API " + request.apiId()
          + " failed (" + request.requestId() + ")", failure);
      return Future.succeededFuture(InvokeResponse.internalError());
    }).map(r -> r.withHeader("apigw-requestid", request.requestId()));
  }

  private Future<InvokeResponse> serve(InvokeRequest request, RequestContext context, boolean byDomain) {
    String path = request.path();
    int slash = path.indexOf('/', 1);
    String first = slash < 0 ? path.substring(1) : path.substring(1, slash);
    if (first.isEmpty() || first.equals("$default")) return serveStage(request, context, "$default", path, byDomain);
    String stagePath = slash < 0 ? "/" : path.substring(slash);
    String stageName = QueryStrings.decode(first);
    return stages.get(request.apiId(), stageName, context).compose(named -> {
      if (named.succeeded()) return serve(request, context, named.output(), stageName, stagePath, byDomain);
      if (!"NotFoundException".equals(named.error().code())) return Future.succeededFuture(InvokeResponse.internalError());
      if (isRestApi(named)) return Future.succeededFuture(RestAnswers.forbidden());
      return serveStage(request, context, "$default", path, byDomain);
    });
  }

  /**
   * The {@code $default} stage of an HTTP API; a REST API has none (its stage names are
   * {@code [A-Za-z0-9_-]}), so a REST API's request without a stage it has is 403 Forbidden.
   */
  private Future<InvokeResponse> serveStage(InvokeRequest request, RequestContext context, String stage, String stagePath,
      boolean byDomain) {
    return stages.get(request.apiId(), stage, context).compose(reply -> {
      if (reply.succeeded()) return serve(request, context, reply.output(), stage, stagePath, byDomain);
      if (!"NotFoundException".equals(reply.error().code())) return Future.succeededFuture(InvokeResponse.internalError());
      return Future.succeededFuture(isRestApi(reply) ? RestAnswers.forbidden() : InvokeResponse.notFound());
    });
  }

  /** Whether a NotFoundException of GetDeployedStage is about a stage of a REST API (its details name the kind). */
  private static boolean isRestApi(ApiReply notFound) {
    JsonObject details = notFound.error().details();
    return details != null && "REST".equals(details.getString("Kind"));
  }

  /**
   * One request to a deployed stage, in the order API Gateway applies its steps: CORS preflight
   * (answered here unless an explicit OPTIONS route takes it, or only {@code $default} does, whose
   * authorization comes first), route selection, throttling, the route's authorization, the
   * integration, and the CORS headers on the answer.
   */
  private Future<InvokeResponse> serve(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage,
      String stagePath, boolean byDomain) {
    if ("REST".equals(snapshot.getString("Kind"))) return rest().serve(request, context, snapshot, stage, stagePath, !byDomain);
    if (!"HTTP".equals(snapshot.getString("Kind"))) return Future.succeededFuture(InvokeResponse.notFound());
    JsonObject api = snapshot.getJsonObject("Api", new JsonObject());
    if (!byDomain && api.getBoolean("DisableExecuteApiEndpoint", false)) return Future.succeededFuture(InvokeResponse.message(403, "Forbidden"));
    StageGuards stageGuards = guards.forStage(request.apiId(), stage, snapshot);
    CorsPolicy cors = stageGuards.cors();
    MultiMap headers = headersOf(request);
    RouteSelection.Match match = new RouteSelection(snapshot.getJsonArray("Routes")).select(request.method(), stagePath);
    boolean preflight = cors.answersPreflight(request.method(), headers);
    if (preflight && (match == null || !match.routeKey().equals("$default") && !match.routeKey().startsWith("OPTIONS "))) {
      return Future.succeededFuture(preflight(cors, headers));
    }
    if (match == null) return Future.succeededFuture(withCors(cors, headers, InvokeResponse.notFound()));
    if (!stageGuards.throttle().tryAcquire(match.routeKey())) {
      return Future.succeededFuture(withCors(cors, headers, InvokeResponse.message(Throttles.TOO_MANY_REQUESTS_STATUS,
          "Too Many Requests")));
    }
    String account = snapshot.getString("Account");
    String region = snapshot.getString("Region");
    Map<String, String> stageVariables = strings(snapshot.getJsonObject("Stage", new JsonObject()).getJsonObject("StageVariables"));
    AccessRequest access = new AccessRequest(account, region, request.apiId(), stage, match.routeKey(), request.method(),
        stagePath, request.rawQuery(), headers, match.pathParameters(), stageVariables, request.sourceIp(),
        request.requestId(), request.timeEpochMillis(), request.domainName(), request.protocol());
    RequestContext callContext = new RequestContext(account, region, request.requestId(), context.baseUrl());
    return stageGuards.authorize(match.route(), access, context.accountId(),
        (function, event) -> authorizer(function, event, callContext)).compose(decision -> {
          if (!decision.allowed()) return Future.succeededFuture(refused(decision.refusal()));
          if (preflight && match.routeKey().equals("$default")) return Future.succeededFuture(preflight(cors, headers));
          return integrate(request, context, snapshot, stage, stagePath, match, decision);
        }).map(answer -> withCors(cors, headers, answer));
  }

  /** Calls the route's integration with what the authorizer let through. */
  private Future<InvokeResponse> integrate(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage,
      String stagePath, RouteSelection.Match match, AccessDecision decision) {
    JsonObject integration = integrationOf(match.route(), snapshot.getJsonArray("Integrations"));
    if (integration == null) return Future.succeededFuture(InvokeResponse.notFound());
    String account = snapshot.getString("Account");
    String region = snapshot.getString("Region");
    Map<String, String> stageVariables = strings(snapshot.getJsonObject("Stage", new JsonObject()).getJsonObject("StageVariables"));
    LambdaProxyEvents.Scope scope = new LambdaProxyEvents.Scope(account, stage, match, stageVariables);
    RequestContext callContext = new RequestContext(account, region, request.requestId(), context.baseUrl());
    String type = integration.getString("IntegrationType", "");
    int timeout = integration.getInteger("TimeoutInMillis", 30_000);
    Map<String, Object> variables = contextVariables(request, scope);
    authorizerVariables(decision, variables);
    ParameterMapping mapping = new ParameterMapping(request, match.pathParameters(), stageVariables, variables);
    switch (type) {
      case "AWS_PROXY":
        if (integration.getString("IntegrationSubtype") != null) {
          return service(integration, mapping, callContext, timeout);
        }
        return lambda(request, scope, integration, callContext, timeout, decision, mapping);
      case "HTTP_PROXY":
        return proxy().forward(request, integration, match, mapping);
      default:
        LOG.log(System.Logger.Level.WARNING, "API {0} route {1}: integration type {2} is not served by HTTP APIs",
            request.apiId(), match.routeKey(), type);
        return Future.succeededFuture(InvokeResponse.internalError());
    }
  }

  private Future<InvokeResponse> lambda(InvokeRequest request, LambdaProxyEvents.Scope scope, JsonObject integration,
      RequestContext callContext, int timeout, AccessDecision decision, ParameterMapping mapping) {
    String version = integration.getString("PayloadFormatVersion", "2.0");
    JsonObject authorizer = decision.requestContextAuthorizer(version);
    JsonObject event = "1.0".equals(version) ? LambdaProxyEvents.v1(request, scope, authorizer)
        : LambdaProxyEvents.v2(request, scope, authorizer);
    JsonObject iam = "1.0".equals(version) ? decision.requestContextAuthorizer("2.0") : null;
    if (iam != null && iam.getJsonObject("iam") != null) {
      // An AWS_IAM route's caller: payload 1.0 reports it in requestContext.identity.
      event.getJsonObject("requestContext").getJsonObject("identity").mergeIn(IamCaller.identityOf(iam.getJsonObject("iam")));
    }
    String function = functionOf(integration.getString("IntegrationUri", ""));
    Matcher arn = LAMBDA_ARN.matcher(function);
    RequestContext context = arn.matches()
        ? new RequestContext(arn.group(2), arn.group(1), callContext.requestId(), callContext.baseUrl()) : callContext;
    JsonObject input = new JsonObject().put("FunctionName", function).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    return within(bus.apply(Contracts.LAMBDA, new ApiRequest("Invoke", input, context)), timeout).map(reply -> {
      if (!reply.succeeded()) {
        LOG.log(System.Logger.Level.WARNING, "API {0}: Lambda Invoke of {1} failed: {2} {3}", request.apiId(), function,
            reply.error().code(), reply.error().message());
        return InvokeResponse.internalError();
      }
      JsonObject output = reply.output();
      if (output.getString("FunctionError") != null) return InvokeResponse.internalError();
      return ResponseParameters.apply(integration, LambdaProxyResponses.map(output.getBinary("Payload", new byte[0]), version), mapping);
    }).recover(this::timedOut);
  }

  private Future<InvokeResponse> service(JsonObject integration, ParameterMapping mapping, RequestContext callContext,
      int timeout) {
    String subtype = integration.getString("IntegrationSubtype");
    ServiceIntegrations.Call call = ServiceIntegrations.of(subtype);
    if (call == null) {
      LOG.log(System.Logger.Level.WARNING, "Integration subtype {0} cannot be served: {1} is not available here",
          subtype, subtype.startsWith("StepFunctions") ? "Step Functions" : subtype.substring(0, subtype.indexOf('-')));
      return Future.succeededFuture(InvokeResponse.internalError());
    }
    JsonObject parameters = mapping.apply(integration.getJsonObject("RequestParameters"));
    String region = parameters.getString("Region");
    RequestContext context = region == null || region.isEmpty() ? callContext
        : new RequestContext(callContext.accountId(), region, callContext.requestId(), callContext.baseUrl());
    return within(bus.apply(call.address(), new ApiRequest(call.operation(), call.input().apply(parameters), context)), timeout)
        .map(reply -> {
          if (reply.succeeded()) return ResponseParameters.apply(integration, json(200, reply.output()), mapping);
          if ("InternalFailure".equals(reply.error().code())) {
            LOG.log(System.Logger.Level.WARNING, "{0} failed: {1}", subtype, reply.error().message());
            return InvokeResponse.internalError();
          }
          int status = reply.error().fault() == Fault.SENDER ? 400 : 500;
          return ResponseParameters.apply(integration,
              json(status, new JsonObject().put("__type", reply.error().code()).put("message", reply.error().message())), mapping);
        }).recover(this::timedOut);
  }

  /**
   * Calls a Lambda authorizer's function with its event and gives its JSON answer; fails when the
   * function fails, answers anything but a JSON object, or does not answer within
   * {@link #AUTHORIZER_TIMEOUT_MILLIS} (the authorizer then answers 500).
   */
  private Future<JsonObject> authorizer(String function, JsonObject event, RequestContext callContext) {
    Matcher arn = LAMBDA_ARN.matcher(function);
    RequestContext context = arn.matches()
        ? new RequestContext(arn.group(2), arn.group(1), callContext.requestId(), callContext.baseUrl()) : callContext;
    JsonObject input = new JsonObject().put("FunctionName", function).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    return within(bus.apply(Contracts.LAMBDA, new ApiRequest("Invoke", input, context)), AUTHORIZER_TIMEOUT_MILLIS)
        .compose(reply -> {
          if (!reply.succeeded()) {
            return Future.failedFuture("Lambda Invoke of authorizer " + function + " failed: " + reply.error().code() + " "
                + reply.error().message());
          }
          if (reply.output().getString("FunctionError") != null) {
            return Future.failedFuture("authorizer " + function + " failed: " + reply.output().getString("FunctionError"));
          }
          Object answer = Json.decodeValue(Buffer.buffer(reply.output().getBinary("Payload", new byte[0])));
          return answer instanceof JsonObject object ? Future.succeededFuture(object)
              : Future.failedFuture("authorizer " + function + " answered no JSON object");
        }).onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "{0}", failure.getMessage()));
  }

  /** A preflight API Gateway answers itself: 204 with the CORS headers the origin is allowed (none when it is not). */
  private static InvokeResponse preflight(CorsPolicy cors, MultiMap requestHeaders) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    cors.preflight(requestHeaders, out);
    return new InvokeResponse(204, entries(out), new byte[0]);
  }

  /** The answer with the CORS headers of the API's configuration (its integration's own removed). */
  private static InvokeResponse withCors(CorsPolicy cors, MultiMap requestHeaders, InvokeResponse answer) {
    if (!cors.enabled()) return answer;
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : answer.headers()) out.add(h.getKey(), h.getValue());
    cors.decorate(requestHeaders, out);
    return new InvokeResponse(answer.status(), entries(out), answer.body());
  }

  private static InvokeResponse refused(Refusal refusal) {
    InvokeResponse answer = InvokeResponse.message(refusal.status(), refusal.message());
    for (Map.Entry<String, String> h : refusal.headers().entrySet()) answer = answer.withHeader(h.getKey(), h.getValue());
    return answer;
  }

  private static MultiMap headersOf(InvokeRequest request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> h : request.headers()) headers.add(h.getKey(), h.getValue());
    return headers;
  }

  private static List<Map.Entry<String, String>> entries(MultiMap headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) out.add(Map.entry(h.getKey(), h.getValue()));
    return out;
  }

  private Future<InvokeResponse> timedOut(Throwable failure) {
    if (failure instanceof TimeoutException) return Future.succeededFuture(InvokeResponse.unavailable());
    return Future.failedFuture(failure);
  }

  /** The reply, or a TimeoutException when none comes within {@code millis}. */
  private <T> Future<T> within(Future<T> reply, int millis) {
    Promise<T> settled = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, millis), t -> settled.tryFail(new TimeoutException("no answer within " + millis + " ms")));
    reply.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) settled.tryComplete(ar.result());
      else settled.tryFail(ar.cause());
    });
    return settled.future();
  }

  /** REST APIs (v1) are served apart, in {@code invoke.rest}. */
  private RestInvoke rest() {
    if (restInvoke == null) restInvoke = new RestInvoke(vertx, bus, guards.results());
    return restInvoke;
  }

  private HttpProxy proxy() {
    if (httpProxy == null) {
      HttpClient client = vertx.createHttpClient();
      httpProxy = new HttpProxy(client);
    }
    return httpProxy;
  }

  private static InvokeResponse json(int status, JsonObject body) {
    return new InvokeResponse(status, List.of(Map.entry("Content-Type", "application/json")),
        body.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The function an AWS_PROXY integration names: its ARN or name, or the one inside an API Gateway invocation URI. */
  static String functionOf(String uri) {
    Matcher m = FUNCTION_IN_URI.matcher(uri);
    return m.matches() ? m.group(1) : uri;
  }

  private static JsonObject integrationOf(JsonObject route, JsonArray integrations) {
    String target = route.getString("Target");
    if (target == null || !target.startsWith("integrations/") || integrations == null) return null;
    String id = target.substring("integrations/".length());
    for (int i = 0; i < integrations.size(); i++) {
      JsonObject integration = integrations.getJsonObject(i);
      if (id.equals(integration.getString("IntegrationId"))) return integration;
    }
    return null;
  }

  private static Map<String, String> strings(JsonObject object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null) for (String name : object.fieldNames()) out.put(name, String.valueOf(object.getValue(name)));
    return out;
  }

  /**
   * The {@code $context} variables an authorizer adds for parameter mapping, as the HTTP API guide
   * lists them: {@code authorizer.claims.<claim>} (JWT), {@code authorizer.<key>} (a Lambda
   * authorizer's context), {@code identity.accessKey} and the like (AWS_IAM).
   */
  private static void authorizerVariables(AccessDecision decision, Map<String, Object> variables) {
    JsonObject authorizer = decision.requestContextAuthorizer("2.0");
    if (authorizer == null) return;
    JsonObject jwt = authorizer.getJsonObject("jwt");
    if (jwt != null && jwt.getJsonObject("claims") != null) {
      for (Map.Entry<String, Object> claim : jwt.getJsonObject("claims")) variables.put("authorizer.claims." + claim.getKey(), claim.getValue());
    }
    JsonObject lambda = authorizer.getJsonObject("lambda");
    if (lambda != null) for (Map.Entry<String, Object> member : lambda) variables.put("authorizer." + member.getKey(), member.getValue());
    JsonObject iam = authorizer.getJsonObject("iam");
    if (iam != null) for (Map.Entry<String, Object> member : IamCaller.identityOf(iam)) variables.put("identity." + member.getKey(), member.getValue());
  }

  /** The {@code $context} variables parameter mapping may use. */
  private static Map<String, Object> contextVariables(InvokeRequest request, LambdaProxyEvents.Scope scope) {
    Map<String, Object> v = new LinkedHashMap<>();
    String domain = request.domainName();
    v.put("requestId", request.requestId());
    v.put("extendedRequestId", request.requestId());
    v.put("apiId", request.apiId());
    v.put("accountId", scope.accountId());
    v.put("stage", scope.stage());
    v.put("domainName", domain);
    v.put("domainPrefix", domain == null || domain.indexOf('.') < 0 ? domain : domain.substring(0, domain.indexOf('.')));
    v.put("httpMethod", request.method());
    v.put("path", request.path());
    v.put("protocol", request.protocol());
    v.put("routeKey", scope.match().routeKey());
    v.put("requestTime", LambdaProxyEvents.REQUEST_TIME.format(Instant.ofEpochMilli(request.timeEpochMillis())));
    v.put("requestTimeEpoch", request.timeEpochMillis());
    v.put("identity.sourceIp", request.sourceIp());
    v.put("identity.userAgent", request.header("user-agent") == null ? "" : request.header("user-agent"));
    return v;
  }
}
