package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.apigateway.invoke.InvokeRequest;
import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.invoke.LambdaProxyResponses;
import io.eventplane.gateway.apigateway.invoke.QueryStrings;
import io.eventplane.gateway.apigateway.invoke.access.AuthorizerResultCache;
import io.eventplane.gateway.apigateway.template.ContextVariables;
import io.eventplane.gateway.apigateway.template.MappingTemplates;
import io.eventplane.gateway.apigateway.template.ModelValidator;
import io.eventplane.gateway.apigateway.template.PassthroughBehavior;
import io.eventplane.gateway.apigateway.template.RenderedTemplate;
import io.eventplane.gateway.apigateway.template.RequestParameters;
import io.eventplane.gateway.apigateway.template.RequestTemplateSelection;
import io.eventplane.gateway.apigateway.template.RequestValidation;
import io.eventplane.gateway.apigateway.template.TemplateException;
import io.eventplane.gateway.apigateway.template.TemplateVariables;
import io.eventplane.gateway.apigateway.template.ValidationFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invoke plane of REST APIs (API Gateway v1): a request to a stage of a REST API, served from the
 * stage's deployed snapshot ({@code Kind: "REST"}) as the REST API developer guide describes. The
 * resource and method are matched ({@link RestResourceMatch}; none: 403 Missing Authentication Token),
 * the method's authorization applied ({@link RestAuthorization}: Lambda authorizers, AWS_IAM), API keys, usage plans and stage throttling applied ({@link RestLimits}), the request validated by the
 * method's validator, then the integration called: MOCK, AWS (a service here, {@link AwsServiceCalls}),
 * AWS_PROXY (a Lambda function with the proxy event, {@link RestProxyEvent}), HTTP and HTTP_PROXY
 * ({@link HttpIntegration}). Non-proxy integrations map the request with the request templates and the
 * answer with the integration response the selection pattern picks ({@link IntegrationResponses}).
 */
public final class RestInvoke {
  private static final System.Logger LOG = System.getLogger(RestInvoke.class.getName());
  private static final Pattern FUNCTION_IN_URI = Pattern.compile("arn:[^:]+:apigateway:[^:]*:lambda:path/[^/]+/functions/(.+)/invocations");
  private static final Pattern LAMBDA_ARN = Pattern.compile("arn:[^:]+:lambda:([^:]+):(\\d{12}):function:.+");
  /** Payloads past this size are rendered on a worker rather than the event loop. */
  static final int RENDER_ON_WORKER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;
  private final MappingTemplates templates = new MappingTemplates();
  private final AwsServiceCalls services;
  private final RestLimits limits;
  private final HttpIntegration http;
  private final RestAuthorization authorization;
  private final Map<String, ModelValidator> models = new ConcurrentHashMap<>();

  /** @param results the node's cache of Lambda authorizers' answers (dropped on {@code eventplane.apigateway.changed}) */
  public RestInvoke(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus, AuthorizerResultCache results) {
    this.vertx = vertx;
    this.authorization = new RestAuthorization(vertx, bus, results);
    this.bus = bus;
    this.services = new AwsServiceCalls(bus);
    this.limits = RestLimits.of(vertx);
    this.http = new HttpIntegration(vertx);
  }

  /**
   * Serves one request to a REST API stage.
   *
   * @param stagePath the path after the stage, percent-encoded ({@code /streams/s1/record})
   */
  public Future<InvokeResponse> serve(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage,
      String stagePath) {
    return serve(request, context, snapshot, stage, stagePath, true);
  }

  /**
   * Serves one request to a REST API stage.
   *
   * @param stagePath the path after the stage, percent-encoded ({@code /streams/s1/record})
   * @param byExecuteApi whether it came by an execute-api URL (refused when the API turned that
   *     endpoint off) rather than by a custom domain name
   */
  public Future<InvokeResponse> serve(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage,
      String stagePath, boolean byExecuteApi) {
    JsonObject restApi = snapshot.getJsonObject("RestApi", new JsonObject());
    if (byExecuteApi && restApi.getBoolean("disableExecuteApiEndpoint", false)) return done(RestAnswers.error(403, "ForbiddenException", "Forbidden"));
    RestResourceMatch.Match match = RestResourceMatch.select(snapshot.getJsonArray("Resources"), request.method(), stagePath);
    if (match == null) return done(RestAnswers.missingToken());
    JsonObject method = match.method();
    JsonObject integration = method.getJsonObject("methodIntegration");
    if (integration == null) return done(RestAnswers.internalError());
    Map<String, String> stageVariables = strings(snapshot.getJsonObject("Stage", new JsonObject()).getJsonObject("variables"));
    return authorization.authorize(request, context, snapshot, stage, stagePath, match, stageVariables).compose(outcome ->
        outcome.refusal() != null ? done(outcome.refusal())
            : authorized(request, context, snapshot, stage, stagePath, match, stageVariables, outcome.grant()));
  }

  /** The rest of a request its method's authorization let through: API keys and limits, validation, the integration. */
  private Future<InvokeResponse> authorized(InvokeRequest request, RequestContext context, JsonObject snapshot, String stage,
      String stagePath, RestResourceMatch.Match match, Map<String, String> stageVariables, RestAuthorization.Grant grant) {
    JsonObject method = match.method();
    JsonObject integration = method.getJsonObject("methodIntegration");
    JsonObject restApi = snapshot.getJsonObject("RestApi", new JsonObject());
    boolean keyFromAuthorizer = "AUTHORIZER".equals(restApi.getString("apiKeySource"));
    String apiKey = keyFromAuthorizer ? grant.usageIdentifierKey() : request.header("x-api-key");
    RestLimits.Admission admission = limits.admit(snapshot, request.apiId(), stage, match.resourcePath(), request.method(),
        method.getBoolean("apiKeyRequired", false), apiKey, request.timeEpochMillis());
    if (admission.refusal() != null) return done(admission.refusal());
    RequestParameters params = params(request, match);
    Optional<ValidationFailure> invalid = validate(snapshot, method, request, params);
    if (invalid.isPresent()) return done(RestAnswers.error(ValidationFailure.STATUS, ValidationFailure.ERROR_TYPE, invalid.get().message()));

    String account = snapshot.getString("Account");
    String region = snapshot.getString("Region");
    RequestContext owner = new RequestContext(account, region, request.requestId(), context.baseUrl());
    ContextVariables contextVariables = contextVariables(request, account, stage, stagePath, match, admission.key(), grant);
    BinaryPayloads binary = BinaryPayloads.of(restApi);
    String integrationBody = new String(binary.integrationRequest(request.body(), request.contentType(),
        BinaryPayloads.TO_TEXT.equals(integration.getString("contentHandling")) ? BinaryPayloads.TO_TEXT : null), StandardCharsets.UTF_8);
    TemplateVariables variables = new TemplateVariables(integrationBody, params, contextVariables, stageVariables);
    Exchange exchange = new Exchange(request, match, integration, method, variables, owner, grant, binary);
    int timeout = integration.getInteger("timeoutInMillis", 29_000);
    String type = integration.getString("type", "");
    return switch (type) {
      case "AWS_PROXY" -> lambdaProxy(exchange, account, stage, stagePath, stageVariables, admission.key(), timeout);
      case "HTTP_PROXY" -> within(http.proxy(request, integration, match.pathParameters(), stageVariables), timeout)
          .recover(this::timedOut);
      case "MOCK", "AWS", "HTTP" -> mapped(exchange, type, timeout);
      default -> done(RestAnswers.internalError());
    };
  }

  /** What one non-proxy exchange carries from the method request to the integration response. */
  record Exchange(InvokeRequest request, RestResourceMatch.Match match, JsonObject integration, JsonObject method,
      TemplateVariables variables, RequestContext owner, RestAuthorization.Grant grant, BinaryPayloads binary) {}

  private Future<InvokeResponse> mapped(Exchange x, String type, int timeout) {
    JsonObject integration = x.integration();
    RequestTemplateSelection.Outcome outcome = RequestTemplateSelection.select(
        PassthroughBehavior.of(integration.getString("passthroughBehavior")), strings(integration.getJsonObject("requestTemplates")),
        x.request().contentType());
    if (outcome instanceof RequestTemplateSelection.Unsupported) {
      return done(RestAnswers.error(415, "UnsupportedMediaTypeException", "Unsupported Media Type"));
    }
    Future<RenderedTemplate> rendered = outcome instanceof RequestTemplateSelection.Transform t
        ? render(t.template(), x.variables())
        : Future.succeededFuture(new RenderedTemplate(x.variables().body(), io.eventplane.gateway.apigateway.template.Overrides.NONE));
    return rendered.compose(integrationRequest -> {
      Future<AwsServiceCalls.Answer> answer = switch (type) {
        case "MOCK" -> Future.succeededFuture(mock(integrationRequest.body()));
        case "AWS" -> services.call(integration.getString("uri"), integrationRequest.body(), x.owner(),
            integrationHeaders(x, integrationRequest));
        default -> http.call(x.request(), integration, x.match().pathParameters(), x.variables().stageVariables(),
            integrationRequest);
      };
      return within(answer, timeout).compose(a -> IntegrationResponses.answer(this, x, a, isLambda(integration)));
    }).recover(failure -> {
      if (failure instanceof TimeoutException) return done(RestAnswers.timedOut());
      if (failure instanceof TemplateException) {
        LOG.log(System.Logger.Level.WARNING, "REST API {0}: mapping template failed: {1}", x.request().apiId(), failure.getMessage());
        return done(RestAnswers.internalError());
      }
      if (failure instanceof IllegalArgumentException) {
        LOG.log(System.Logger.Level.WARNING, "REST API {0}: {1}", x.request().apiId(), failure.getMessage());
        return done(RestAnswers.internalError());
      }
      return Future.failedFuture(failure);
    });
  }

  /**
   * The integration request's headers an AWS integration maps ({@code integration.request.header.X} from
   * {@code 'static'} or {@code method.request.header.Y}, then the template's requestOverride), names lower-cased.
   */
  private static Map<String, String> integrationHeaders(Exchange x, RenderedTemplate rendered) {
    Map<String, String> headers = new java.util.HashMap<>();
    JsonObject parameters = x.integration().getJsonObject("requestParameters", new JsonObject());
    for (String key : parameters.fieldNames()) {
      if (!key.startsWith("integration.request.header.")) continue;
      String source = String.valueOf(parameters.getValue(key));
      String value = source.length() >= 2 && source.startsWith("'") && source.endsWith("'") ? source.substring(1, source.length() - 1)
          : source.startsWith("method.request.header.") ? x.request().header(source.substring("method.request.header.".length()))
          : null;
      if (value != null) headers.put(key.substring("integration.request.header.".length()).toLowerCase(java.util.Locale.ROOT), value);
    }
    rendered.overrides().requestHeaders().forEach((name, values) -> {
      if (!values.isEmpty()) headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(values.size() - 1));
    });
    return headers;
  }

  private static boolean isLambda(JsonObject integration) {
    String uri = integration.getString("uri", "");
    return "AWS".equals(integration.getString("type")) && uri.matches("arn:[^:]+:apigateway:[^:]*:lambda:.*");
  }

  /** A MOCK integration answers the status its request template names: {@code {"statusCode": 200}}. */
  private static AwsServiceCalls.Answer mock(String body) {
    int status = 200;
    try {
      JsonObject json = new JsonObject(body == null || body.isBlank() ? "{}" : body);
      Object code = json.getValue("statusCode");
      if (code instanceof Number n) status = n.intValue();
      else if (code instanceof String s) status = Integer.parseInt(s.trim());
    } catch (RuntimeException e) {
      status = 200;
    }
    return new AwsServiceCalls.Answer(status, "application/json", "", false, null);
  }

  private Future<InvokeResponse> lambdaProxy(Exchange x, String account, String stage, String stagePath,
      Map<String, String> stageVariables, RestLimits.Key key, int timeout) {
    JsonObject event = RestProxyEvent.of(x.request(), account, stage, stagePath, x.match(), stageVariables,
        key == null ? null : key.value(), key == null ? null : key.id(), x.grant(), x.binary().isBinary(x.request().contentType()));
    String uri = x.integration().getString("uri", "");
    Matcher m = FUNCTION_IN_URI.matcher(uri);
    String function = m.matches() ? m.group(1) : uri;
    Matcher arn = LAMBDA_ARN.matcher(function);
    RequestContext context = arn.matches()
        ? new RequestContext(arn.group(2), arn.group(1), x.owner().requestId(), x.owner().baseUrl()) : x.owner();
    JsonObject input = new JsonObject().put("FunctionName", function).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    return within(bus.apply(Contracts.LAMBDA, new ApiRequest("Invoke", input, context)), timeout).map(reply -> {
      if (!reply.succeeded()) {
        LOG.log(System.Logger.Level.WARNING, "REST API {0}: Lambda Invoke of {1} failed: {2} {3}", x.request().apiId(), function,
            reply.error().code(), reply.error().message());
        return RestAnswers.internalError();
      }
      if (reply.output().getString("FunctionError") != null) return RestAnswers.badGateway();
      byte[] payload = reply.output().getBinary("Payload", new byte[0]);
      InvokeResponse response = LambdaProxyResponses.map(payload, "1.0");
      if (response.status() == 500 && response.header("x-amzn-ErrorType") == null
          && new String(response.body(), StandardCharsets.UTF_8).equals("{\"message\":\"Internal Server Error\"}")) {
        return RestAnswers.badGateway();
      }
      String base64 = base64Body(payload);
      if (base64 != null && !x.binary().decodesProxyAnswer(x.request().header("accept"), response.header("content-type"))) {
        // Not a binary media type: the client gets the function's base64 text as it was, as from AWS.
        response = new InvokeResponse(response.status(), response.headers(), base64.getBytes(StandardCharsets.UTF_8));
      }
      return response;
    }).recover(this::timedOut);
  }

  /** The body text of a Lambda proxy answer that says {@code isBase64Encoded: true}, else null. */
  private static String base64Body(byte[] payload) {
    try {
      return io.vertx.core.json.Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(payload)) instanceof JsonObject answer
          && Boolean.TRUE.equals(answer.getValue("isBase64Encoded")) && answer.getValue("body") instanceof String body ? body : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Renders a template, on a worker when the payload is large (see the template engine's notes). */
  Future<RenderedTemplate> render(String template, TemplateVariables variables) {
    String body = variables.body();
    if (body == null || body.length() < RENDER_ON_WORKER_BYTES) {
      try {
        return Future.succeededFuture(templates.render(template, variables));
      } catch (TemplateException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> templates.render(template, variables), false);
  }

  private Optional<ValidationFailure> validate(JsonObject snapshot, JsonObject method, InvokeRequest request,
      RequestParameters params) {
    String validatorId = method.getString("requestValidatorId");
    if (validatorId == null) return Optional.empty();
    JsonObject validator = null;
    for (Object v : snapshot.getJsonArray("RequestValidators", new JsonArray())) {
      if (v instanceof JsonObject j && validatorId.equals(j.getString("id"))) validator = j;
    }
    if (validator == null) return Optional.empty();
    boolean checkBody = validator.getBoolean("validateRequestBody", false);
    Map<String, Boolean> parameters = new LinkedHashMap<>();
    JsonObject declared = method.getJsonObject("requestParameters", new JsonObject());
    for (String name : declared.fieldNames()) parameters.put(name, Boolean.TRUE.equals(declared.getValue(name)));
    ModelValidator compiled = checkBody ? modelsOf(snapshot) : null;
    return RequestValidation.validate(validator.getBoolean("validateRequestParameters", false), checkBody, parameters,
        strings(method.getJsonObject("requestModels")), compiled, request.contentType(), params, body(request));
  }

  /** The API's models compiled once per deployment. */
  private ModelValidator modelsOf(JsonObject snapshot) {
    String apiId = snapshot.getJsonObject("RestApi", new JsonObject()).getString("id", "");
    String key = apiId + "/" + snapshot.getJsonObject("Stage", new JsonObject()).getString("deploymentId", "");
    if (models.size() > 1_000) models.clear();
    return models.computeIfAbsent(key, k -> {
      Map<String, String> schemas = new LinkedHashMap<>();
      for (Object m : snapshot.getJsonArray("Models", new JsonArray())) {
        if (m instanceof JsonObject j && j.getString("schema") != null) schemas.put(j.getString("name"), j.getString("schema"));
      }
      try {
        return new ModelValidator(apiId, schemas);
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "REST API {0}: models do not compile: {1}", apiId, e.getMessage());
        return new ModelValidator(apiId, Map.of());
      }
    });
  }

  private static RequestParameters params(InvokeRequest request, RestResourceMatch.Match match) {
    Map<String, String> query = new LinkedHashMap<>();
    QueryStrings.parse(request.rawQuery()).forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) headers.put(h.getKey(), h.getValue());
    return new RequestParameters(match.pathParameters(), query, headers);
  }

  private static String body(InvokeRequest request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }

  private static ContextVariables contextVariables(InvokeRequest request, String account, String stage, String stagePath,
      RestResourceMatch.Match match, RestLimits.Key key, RestAuthorization.Grant grant) {
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("sourceIp", request.sourceIp());
    String userAgent = request.header("user-agent");
    identity.put("userAgent", userAgent == null ? "" : userAgent);
    if (key != null) {
      identity.put("apiKey", key.value());
      identity.put("apiKeyId", key.id());
    }
    if (grant.iamIdentity() != null) grant.iamIdentity().forEach(e -> identity.put(e.getKey(), String.valueOf(e.getValue())));
    String path = stage.equals("$default") ? stagePath : "/" + stage + stagePath;
    return new ContextVariables(request.requestId(), request.requestId(), account, request.apiId(), stage,
        match.resource().getString("id"), match.resourcePath(), request.method(), path, request.protocol(),
        request.domainName(), Instant.ofEpochMilli(request.timeEpochMillis()), identity, grant.templateAuthorizer());
  }

  static Map<String, String> strings(JsonObject object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null) for (String name : object.fieldNames()) {
      Object value = object.getValue(name);
      out.put(name, value == null ? null : String.valueOf(value));
    }
    return out;
  }

  private static Future<InvokeResponse> done(InvokeResponse response) {
    return Future.succeededFuture(response);
  }

  private Future<InvokeResponse> timedOut(Throwable failure) {
    if (failure instanceof TimeoutException) return done(RestAnswers.timedOut());
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

  static List<Map.Entry<String, String>> jsonType() {
    return List.of(Map.entry("Content-Type", "application/json"));
  }
}
