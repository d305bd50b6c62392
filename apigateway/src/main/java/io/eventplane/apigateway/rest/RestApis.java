package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.rest.RestAccess.RESOURCE;
import static io.eventplane.apigateway.rest.RestAccess.ownerOf;

import io.eventplane.apigateway.api.ApiGatewayPartitions;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * CreateRestApi (with its root resource {@code /}), GetRestApi, GetRestApis, UpdateRestApi and
 * DeleteRestApi. The API's record is GetRestApi's output: {@code apiKeySource} HEADER and an EDGE
 * endpoint unless given, {@code createdDate} in epoch seconds, {@code rootResourceId}.
 * Used only on the lane's context.
 */
final class RestApis {
  /** REST APIs per account and region (AWS's default quota is 600 regional/private, 120 edge). */
  static final int APIS_PER_REGION = 600;
  static final int MAX_COMPRESSION = 10 * 1024 * 1024;
  private static final List<String> ENDPOINT_TYPES = List.of("EDGE", "REGIONAL", "PRIVATE");
  private static final List<String> KEY_SOURCES = List.of("HEADER", "AUTHORIZER");
  private static final List<String> IP_TYPES = List.of("ipv4", "dualstack");

  private final RestAccess access;
  private final Patches patches;

  RestApis(RestAccess access) {
    this.access = access;
    this.patches = new Patches()
        .scalar("name", Patches.Kind.STRING, false)
        .scalar("description", Patches.Kind.STRING, true)
        .scalar("version", Patches.Kind.STRING, true)
        .scalar("policy", Patches.Kind.STRING, true)
        .scalar("apiKeySource", Patches.Kind.STRING, false)
        .custom("/minimumCompressionSize", RestApis::patchCompression)
        .scalar("disableExecuteApiEndpoint", Patches.Kind.BOOL, false)
        .set("binaryMediaTypes")
        .custom("/endpointConfiguration", RestApis::patchEndpoint)
        .shortErrors();
  }

  Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateRestApi" -> create(request);
      case "GetRestApi" -> Future.succeededFuture(output(access.find(request)));
      case "GetRestApis" -> Future.succeededFuture(list(request));
      case "UpdateRestApi" -> access.change(request, api -> {
        JsonObject updated = patches.apply(api.record().getJsonObject("RestApi"), request.input());
        check(updated);
        return new RestAccess.Change(new Changes().putOwner(api.key(), api.record().copy().put("RestApi", updated)), updated);
      });
      case "DeleteRestApi" -> access.change(request, api -> new RestAccess.Change(new Changes().deleteOwner(api.key()), new JsonObject()));
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  static JsonObject output(Owner api) {
    return api.record().getJsonObject("RestApi").copy();
  }

  private Future<JsonObject> create(ApiRequest request) {
    return create(request, request.input(), null);
  }

  /**
   * A new REST API from CreateRestApi's members {@code in}; with {@code definition} (ImportRestApi)
   * its resources (the root given the API's root id), authorizers, validators and models too.
   */
  Future<JsonObject> create(ApiRequest request, JsonObject in, java.util.function.Function<String, RestApiDefinitions.Definition> definition) {
    String name = RestInputs.name(in, "name", 1024);
    if (RestInputs.string(in, "cloneFrom") != null) throw badRequest("cloneFrom is not supported by this server");
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    String apiId = access.ids.apiId(partition);
    String rootId = access.id(10);
    JsonObject api = new JsonObject().put("id", apiId).put("name", name);
    String description = RestInputs.string(in, "description");
    if (description != null && description.isEmpty()) throw badRequest("Description cannot be an empty string");
    if (description != null) api.put("description", description);
    api.put("createdDate", access.now());
    String version = RestInputs.string(in, "version");
    if (version != null) api.put("version", version);
    JsonArray binary = RestInputs.stringList(in, "binaryMediaTypes");
    if (binary != null && !binary.isEmpty()) api.put("binaryMediaTypes", binary);
    if (in.getValue("minimumCompressionSize") != null) {
      Object v = in.getValue("minimumCompressionSize");
      if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw badCompression();
      api.put("minimumCompressionSize", n.intValue());
    }
    String keySource = RestInputs.string(in, "apiKeySource");
    api.put("apiKeySource", keySource == null ? "HEADER" : keySource);
    JsonObject endpoint = RestInputs.object(in, "endpointConfiguration");
    api.put("endpointConfiguration", endpoint == null ? new JsonObject().put("types", new JsonArray().add("EDGE"))
        .put("ipAddressType", "ipv4") : endpoint(endpoint));
    String policy = RestInputs.string(in, "policy");
    if (policy != null) api.put("policy", policy);
    JsonObject tags = RestInputs.stringMap(in, "tags");
    if (tags != null && !tags.isEmpty()) api.put("tags", RestTags.check(tags));
    api.put("disableExecuteApiEndpoint", RestInputs.bool(in, "disableExecuteApiEndpoint", false));
    api.put("rootResourceId", rootId);
    check(api);
    Changes changes = new Changes()
        .putOwner(ownerOf(apiId), new JsonObject().put("Account", account).put("Region", region).put("Kind", RestAccess.KIND).put("RestApi", api))
        .putChild(ownerOf(apiId), RESOURCE, rootId, new JsonObject().put("id", rootId).put("path", "/"));
    for (JsonObject model : Models.defaults(access)) changes.putChild(ownerOf(apiId), RestAccess.MODEL, model.getString("name"), model);
    if (definition != null) {
      RestApiDefinitions.Definition d = definition.apply(rootId);
      RestApiImports.children(ownerOf(apiId), d, changes);
      // Only the answer says the warnings (putOwner copied the record already): GetRestApi does not.
      if (!d.warnings().isEmpty()) api.put("warnings", new JsonArray(d.warnings()));
    }
    return access.table.serially(partition, () -> {
      long mine = access.table.all(partition).stream().filter(o -> o.key().startsWith("a/")
          && RestAccess.KIND.equals(o.record().getString("Kind")) && RestAccess.mine(o, request.context())).count();
      if (mine >= APIS_PER_REGION) {
        return Future.failedFuture(ApiGatewayErrors.limitExceeded("Your account has reached the limit of " + APIS_PER_REGION
            + " REST APIs in this Region"));
      }
      return access.table.apply(partition, changes);
    }).onSuccess(v -> access.changed(List.of(apiId))).map(v -> api.copy());
  }

  private JsonObject list(ApiRequest request) {
    int partition = RestAccess.partitionOf(request.context());
    List<JsonObject> apis = access.table.all(partition).stream()
        .filter(o -> o.key().startsWith("a/") && RestAccess.KIND.equals(o.record().getString("Kind")) && RestAccess.mine(o, request.context()))
        .map(RestApis::output)
        .sorted(Comparator.comparing(a -> a.getString("id")))
        .toList();
    return RestPaging.page(request.input(), apis, "id");
  }

  /** CreateRestApi's endpoint configuration, checked as AWS checks it (enums first, all their errors at once). */
  private static JsonObject endpoint(JsonObject given) {
    JsonArray types = RestInputs.stringList(given, "types");
    String ipType = RestInputs.string(given, "ipAddressType");
    java.util.List<String> errors = new java.util.ArrayList<>();
    if (types != null && types.stream().anyMatch(t -> !ENDPOINT_TYPES.contains(t))) {
      errors.add("Value '" + types.getList() + "' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: "
          + "Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]");
    }
    if (ipType != null && !IP_TYPES.contains(ipType)) {
      errors.add("Value '" + ipType + "' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: "
          + "Member must satisfy enum value set: [ipv4, dualstack]");
    }
    if (!errors.isEmpty()) {
      throw new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError.sender("ValidationException",
          (errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ")
              + String.join("; ", errors)));
    }
    if (types == null || types.isEmpty()) {
      if (types != null || ipType == null) throw badRequest("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
      types = new JsonArray().add("EDGE");
    }
    if (types.size() > 1) throw badRequest("Cannot create an api with multiple Endpoint Types.");
    JsonObject out = new JsonObject().put("types", types);
    boolean isPrivate = "PRIVATE".equals(types.getString(0));
    if (isPrivate && "ipv4".equals(ipType)) throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
    out.put("ipAddressType", ipType != null ? ipType : isPrivate ? "dualstack" : "ipv4");
    JsonArray vpce = RestInputs.stringList(given, "vpcEndpointIds");
    if (vpce != null && !vpce.isEmpty()) out.put("vpcEndpointIds", vpce);
    return out;
  }

  /** {@code replace /endpointConfiguration/types/EDGE value REGIONAL}, and the IP address type. */
  private static void patchEndpoint(JsonObject api, Patches.Op op, String rest) {
    JsonObject endpoint = api.getJsonObject("endpointConfiguration", new JsonObject()).copy();
    if (rest.startsWith("types/")) {
      if (!op.op().equals("replace")) {
        if (op.op().equals("add") || op.op().equals("remove")) throw badRequest("Cannot create an api with multiple Endpoint Types.");
        throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
      }
      String from = rest.substring("types/".length());
      if (!endpoint.getJsonArray("types", new JsonArray()).contains(from) || !ENDPOINT_TYPES.contains(op.value())) {
        throw badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
      }
      endpoint.put("types", new JsonArray().add(op.value()));
    } else if (rest.equals("ipAddressType")) {
      if (!op.op().equals("replace")) throw badRequest("Invalid patch operation specified. Must be one of: [replace]");
      if (!IP_TYPES.contains(op.value())) throw badRequest("ipAddressType must be either ipv4 or dualstack.");
      endpoint.put("ipAddressType", op.value());
    } else {
      throw badRequest("Invalid patch path " + op.path());
    }
    api.put("endpointConfiguration", endpoint);
  }

  /** {@code replace /minimumCompressionSize}: a size, or nothing to turn compression off. */
  private static void patchCompression(JsonObject api, Patches.Op op, String rest) {
    if (!rest.isEmpty() || !op.op().equals("replace")) throw badRequest("Invalid patch operation specified. Must be one of: [replace]");
    if (op.value() == null || op.value().isEmpty()) {
      api.remove("minimumCompressionSize");
      return;
    }
    try {
      api.put("minimumCompressionSize", Integer.parseInt(op.value().strip()));
    } catch (NumberFormatException e) {
      throw badCompression();
    }
  }

  private static RuntimeException badCompression() {
    return badRequest("Invalid minimum compression size, must be between 0 and " + MAX_COMPRESSION);
  }

  private static void check(JsonObject api) {
    if (api.getString("name").isEmpty()) throw badRequest("Invalid input: 'name' is a required parameter");
    RestInputs.enumValue(api.getString("apiKeySource"), "createRestApiInput.apiKeySource", KEY_SOURCES);
    Integer compression = api.getInteger("minimumCompressionSize");
    if (compression != null && (compression < 0 || compression > MAX_COMPRESSION)) throw badCompression();
    JsonObject endpoint = api.getJsonObject("endpointConfiguration");
    if ("PRIVATE".equals(endpoint.getJsonArray("types").getString(0)) && "ipv4".equals(endpoint.getString("ipAddressType"))) {
      throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
    }
  }
}
