package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.STAGE;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CreateStage, GetStage, GetStages (by {@code deploymentId}), UpdateStage and DeleteStage. A stage
 * names the deployment it serves, its stage variables and its method settings: UpdateStage's paths
 * {@code /<resource path>/<http method>/<group>/<setting>} ({@code /*}{@code /*}{@code /throttling/rateLimit},
 * {@code /~1orders/GET/metrics/enabled}) set the settings of the key {@code <resource path>/<http method>}
 * ({@code *}{@code /*}, {@code ~1orders/GET}), starting from API Gateway's defaults.
 * Used only on the lane's context.
 */
final class RestStages {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_]{1,128}");
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9-._~:/?#&=,]{0,512}");
  /** The resource part is {@code *}, an escaped path ({@code ~1a~1b}) or, as Terraform writes it, a plain one ({@code a/b}). */
  private static final Pattern METHOD_SETTING = Pattern.compile("/(.+)/([A-Z]+|\\*)/(metrics/enabled|logging/loglevel|logging/dataTrace"
      + "|throttling/burstLimit|throttling/rateLimit|caching/enabled|caching/ttlInSeconds|caching/dataEncrypted"
      + "|caching/requireAuthorizationForCacheControl|caching/unauthorizedCacheControlHeaderStrategy)");
  private static final Pattern METHOD_KEY = Pattern.compile("/(.+)/([A-Z]+|\\*)");
  private static final Map<String, Object[]> SETTINGS = Map.ofEntries(
      Map.entry("metrics/enabled", new Object[] {"metricsEnabled", Patches.Kind.BOOL}),
      Map.entry("logging/loglevel", new Object[] {"loggingLevel", Patches.Kind.STRING}),
      Map.entry("logging/dataTrace", new Object[] {"dataTraceEnabled", Patches.Kind.BOOL}),
      Map.entry("throttling/burstLimit", new Object[] {"throttlingBurstLimit", Patches.Kind.INT}),
      Map.entry("throttling/rateLimit", new Object[] {"throttlingRateLimit", Patches.Kind.DOUBLE}),
      Map.entry("caching/enabled", new Object[] {"cachingEnabled", Patches.Kind.BOOL}),
      Map.entry("caching/ttlInSeconds", new Object[] {"cacheTtlInSeconds", Patches.Kind.INT}),
      Map.entry("caching/dataEncrypted", new Object[] {"cacheDataEncrypted", Patches.Kind.BOOL}),
      Map.entry("caching/requireAuthorizationForCacheControl", new Object[] {"requireAuthorizationForCacheControl", Patches.Kind.BOOL}),
      Map.entry("caching/unauthorizedCacheControlHeaderStrategy", new Object[] {"unauthorizedCacheControlHeaderStrategy", Patches.Kind.STRING}));

  private final RestAccess access;
  private final Patches patches;

  RestStages(RestAccess access) {
    this.access = access;
    this.patches = new Patches()
        .scalar("description", Patches.Kind.STRING, true)
        .scalar("deploymentId", Patches.Kind.STRING, false)
        .scalar("cacheClusterEnabled", Patches.Kind.BOOL, false)
        .scalar("cacheClusterSize", Patches.Kind.STRING, false)
        .scalar("tracingEnabled", Patches.Kind.BOOL, false)
        .scalar("clientCertificateId", Patches.Kind.STRING, true)
        .scalar("documentationVersion", Patches.Kind.STRING, true)
        .scalar("webAclArn", Patches.Kind.STRING, true)
        .scalar("/accessLogSettings/destinationArn", "accessLogDestinationArn", Patches.Kind.STRING, true)
        .scalar("/accessLogSettings/format", "accessLogFormat", Patches.Kind.STRING, true)
        .custom("/accessLogSettings", (stage, op, rest) -> {
          if (!op.op().equals("remove") || !rest.isEmpty()) throw Patches.invalid(op);
          stage.remove("accessLogSettings");
        })
        .map("variables", Patches.Kind.STRING);
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateStage" -> access.change(request, api -> {
        String name = RestInputs.required(in, "stageName");
        if (api.child(STAGE, name) != null) throw conflict("Stage already exists");
        RestDeployments.find(api, new JsonObject().put("deploymentId", RestInputs.required(in, "deploymentId")));
        JsonObject stage = newStage(in);
        return new RestAccess.Change(new Changes().putChild(api.key(), STAGE, name, stage), stage.copy());
      });
      case "GetStage" -> Future.succeededFuture(find(access.find(request), in).copy());
      case "GetStages" -> {
        String deploymentId = RestInputs.string(in, "deploymentId");
        yield Future.succeededFuture(new JsonObject().put("item", new JsonArray(access.find(request).children(STAGE).values().stream()
            .filter(s -> deploymentId == null || deploymentId.equals(s.getString("deploymentId"))).map(JsonObject::copy).toList())));
      }
      case "UpdateStage" -> access.change(request, api -> update(api, in));
      case "DeleteStage" -> access.change(request, api -> new RestAccess.Change(
          new Changes().deleteChild(api.key(), STAGE, find(api, in).getString("stageName")), new JsonObject()));
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  static JsonObject find(Owner api, JsonObject in) {
    String name = RestInputs.string(in, "stageName");
    JsonObject stage = name == null ? null : api.child(STAGE, name);
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid Stage identifier specified");
    return stage;
  }

  /** A new stage from CreateStage's (or CreateDeployment's) members, in GetStage's output shape. */
  JsonObject newStage(JsonObject in) {
    String name = RestInputs.required(in, "stageName");
    if (!NAME.matcher(name).matches()) throw badRequest("Stage name only allows a-zA-Z0-9_");
    JsonObject stage = new JsonObject().put("deploymentId", RestInputs.required(in, "deploymentId")).put("stageName", name);
    String description = RestInputs.string(in, "description");
    if (description != null) stage.put("description", description);
    stage.put("cacheClusterEnabled", RestInputs.bool(in, "cacheClusterEnabled", false));
    String size = RestInputs.string(in, "cacheClusterSize");
    if (size != null) stage.put("cacheClusterSize", size);
    stage.put("cacheClusterStatus", "NOT_AVAILABLE");
    stage.put("methodSettings", new JsonObject());
    JsonObject variables = RestInputs.stringMap(in, "variables");
    if (variables != null && !variables.isEmpty()) stage.put("variables", checkVariables(variables));
    String docs = RestInputs.string(in, "documentationVersion");
    if (docs != null) stage.put("documentationVersion", docs);
    JsonObject canary = RestInputs.object(in, "canarySettings");
    if (canary != null) stage.put("canarySettings", canary.copy());
    stage.put("tracingEnabled", RestInputs.bool(in, "tracingEnabled", false));
    JsonObject tags = RestInputs.stringMap(in, "tags");
    if (tags != null && !tags.isEmpty()) stage.put("tags", RestTags.check(tags));
    stage.put("createdDate", access.now()).put("lastUpdatedDate", access.now());
    return stage;
  }

  static JsonObject checkVariables(JsonObject variables) {
    for (Map.Entry<String, Object> e : variables) {
      if (!VARIABLE.matcher(e.getKey()).matches()) {
        throw badRequest("Stage variable names must be alphanumeric or underscores and at most 64 characters: " + e.getKey());
      }
      if (!VALUE.matcher((String) e.getValue()).matches()) {
        throw badRequest("Stage variable value " + e.getValue() + " is invalid: only A-Za-z0-9-._~:/?#&=, and at most 512 characters");
      }
    }
    return variables.copy();
  }

  private RestAccess.Change update(Owner api, JsonObject in) {
    JsonObject stage = find(api, in).copy();
    // Access log settings are flattened while patched, then put back in their structure.
    JsonObject logs = stage.getJsonObject("accessLogSettings");
    if (logs != null) {
      stage.put("accessLogDestinationArn", logs.getString("destinationArn")).put("accessLogFormat", logs.getString("format"));
    }
    for (Patches.Op op : Patches.of(in)) {
      Matcher setting = METHOD_SETTING.matcher(op.path());
      Matcher key = METHOD_KEY.matcher(op.path());
      if (setting.matches()) {
        if (!op.op().equals("replace")) throw Patches.invalid(op);
        String k = setting.group(1) + "/" + setting.group(2);
        checkKey(api, setting.group(1), setting.group(2), op);
        JsonObject settings = stage.getJsonObject("methodSettings", new JsonObject()).copy();
        JsonObject one = settings.getJsonObject(k, defaults()).copy();
        Object[] member = SETTINGS.get(setting.group(3));
        one.put((String) member[0], Patches.convert(op.requiredValue(), (Patches.Kind) member[1], op.path()));
        settings.put(k, one);
        stage.put("methodSettings", settings);
      } else if (key.matches() && op.op().equals("remove") && !op.path().startsWith("/variables/")
          && !op.path().startsWith("/accessLogSettings/")) {
        JsonObject settings = stage.getJsonObject("methodSettings", new JsonObject()).copy();
        settings.remove(key.group(1) + "/" + key.group(2));
        stage.put("methodSettings", settings);
      } else {
        patches.apply(stage, op);
      }
    }
    RestDeployments.find(api, stage);
    if (stage.containsKey("variables")) checkVariables(stage.getJsonObject("variables"));
    String arn = (String) stage.remove("accessLogDestinationArn");
    String format = (String) stage.remove("accessLogFormat");
    if (arn != null || format != null) {
      JsonObject settings = new JsonObject();
      if (format != null) settings.put("format", format);
      if (arn != null) settings.put("destinationArn", arn);
      stage.put("accessLogSettings", settings);
    } else {
      stage.remove("accessLogSettings");
    }
    stage.put("lastUpdatedDate", access.now());
    return new RestAccess.Change(new Changes().putChild(api.key(), STAGE, stage.getString("stageName"), stage), stage.copy());
  }

  /** A method settings key names {@code *} or a resource path of the API, and {@code *} or an HTTP method. */
  private static void checkKey(Owner api, String path, String method, Patches.Op op) {
    if (!method.equals("*") && !Methods.HTTP_METHODS.contains(method)) throw Patches.invalid(op);
    if (path.equals("*")) return;
    String unescaped = Patches.unescape(path);
    String resourcePath = unescaped.startsWith("/") ? unescaped : "/" + unescaped;
    boolean known = api.children(RestAccess.RESOURCE).values().stream().anyMatch(r -> resourcePath.equals(r.getString("path")));
    if (!known) throw badRequest("Cannot find resource path " + resourcePath + " for method setting");
  }

  /** A method settings entry as API Gateway starts it. */
  static JsonObject defaults() {
    return new JsonObject().put("metricsEnabled", false).put("loggingLevel", "OFF").put("dataTraceEnabled", false)
        .put("throttlingBurstLimit", 5000).put("throttlingRateLimit", 10000.0).put("cachingEnabled", false)
        .put("cacheTtlInSeconds", 300).put("cacheDataEncrypted", false).put("requireAuthorizationForCacheControl", true)
        .put("unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITH_RESPONSE_HEADER");
  }
}
