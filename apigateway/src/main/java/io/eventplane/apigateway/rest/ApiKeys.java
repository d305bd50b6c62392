package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.PLAN_KEY;
import static io.eventplane.apigateway.rest.RestAccess.keyOwner;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CreateApiKey (its value given, 20-128 characters, or generated: 40 characters), GetApiKey and
 * GetApiKeys (the value only with {@code includeValue(s)}), UpdateApiKey and DeleteApiKey (which
 * takes the key out of its usage plans). API keys are the account's in a region, not an API's:
 * stored as owners {@code k/<account>/<region>/<id>} in the account's partition, each record
 * {@code {Account, Region, Kind: "APIKEY", ApiKey: <GetApiKey output with value>}}.
 * Used only on the lane's context.
 */
final class ApiKeys {
  static final String KIND = "APIKEY";
  private static final String VALUE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final RestAccess access;
  private final SecureRandom random = new SecureRandom();
  private final Patches patches = new Patches()
      .scalar("name", Patches.Kind.STRING, false)
      .scalar("description", Patches.Kind.STRING, true)
      .scalar("enabled", Patches.Kind.BOOL, false)
      .scalar("customerId", Patches.Kind.STRING, true)
      .custom("/stages", (key, op, rest) -> {
        JsonArray stages = key.getJsonArray("stageKeys", new JsonArray()).copy();
        String value = op.requiredValue();
        if (op.op().equals("add")) {
          if (!stages.contains(value)) stages.add(value);
        } else if (op.op().equals("remove")) {
          stages.remove(value);
        } else {
          throw Patches.invalid(op);
        }
        key.put("stageKeys", stages);
      });

  ApiKeys(RestAccess access) {
    this.access = access;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    RequestContext ctx = request.context();
    return switch (request.operation()) {
      case "CreateApiKey" -> access.changeAccount(request, partition -> create(ctx, in));
      case "GetApiKey" -> Future.succeededFuture(output(find(ctx, RestInputs.string(in, "apiKey")),
          RestInputs.bool(in, "includeValue", false)));
      case "GetApiKeys" -> {
        boolean values = RestInputs.bool(in, "includeValues", false);
        String name = RestInputs.string(in, "nameQuery");
        String customer = RestInputs.string(in, "customerId");
        List<JsonObject> keys = access.accountOwners("k", ctx.accountId(), ctx.region()).stream()
            .map(o -> o.record().getJsonObject("ApiKey"))
            .filter(k -> name == null || k.getString("name", "").startsWith(name))
            .filter(k -> customer == null || customer.equals(k.getString("customerId")))
            .map(k -> output(k, values)).toList();
        yield Future.succeededFuture(RestPaging.page(in, keys, "id"));
      }
      case "UpdateApiKey" -> access.changeAccount(request, partition -> {
        Owner owner = findOwner(ctx, RestInputs.string(in, "apiKey"));
        JsonObject updated = patches.apply(owner.record().getJsonObject("ApiKey"), in).put("lastUpdatedDate", access.now());
        return new RestAccess.AccountChange(new Changes().putOwner(owner.key(), owner.record().copy().put("ApiKey", updated)),
            output(updated, false), plannedApis(ctx, updated.getString("id")));
      });
      case "DeleteApiKey" -> access.changeAccount(request, partition -> {
        Owner owner = findOwner(ctx, RestInputs.string(in, "apiKey"));
        String id = owner.record().getJsonObject("ApiKey").getString("id");
        Changes changes = new Changes().deleteOwner(owner.key());
        for (Owner plan : access.accountOwners("u", ctx.accountId(), ctx.region())) {
          if (plan.child(PLAN_KEY, id) != null) changes.deleteChild(plan.key(), PLAN_KEY, id);
        }
        return new RestAccess.AccountChange(changes, new JsonObject(), plannedApis(ctx, id));
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private RestAccess.AccountChange create(RequestContext ctx, JsonObject in) {
    String value = RestInputs.string(in, "value");
    if (value == null) {
      value = generate();
    } else if (value.length() < 20 || value.length() > 128) {
      throw badRequest("API Key value should be at least 20 characters and at most 128");
    }
    for (Owner o : access.accountOwners("k", ctx.accountId(), ctx.region())) {
      if (value.equals(o.record().getJsonObject("ApiKey").getString("value"))) throw conflict("API Key already exists");
    }
    String id = access.id(10);
    JsonObject key = new JsonObject().put("id", id).put("value", value);
    String name = RestInputs.string(in, "name");
    if (name != null) key.put("name", name);
    String customer = RestInputs.string(in, "customerId");
    if (customer != null) key.put("customerId", customer);
    String description = RestInputs.string(in, "description");
    if (description != null) key.put("description", description);
    key.put("enabled", RestInputs.bool(in, "enabled", false));
    key.put("createdDate", access.now()).put("lastUpdatedDate", access.now());
    JsonArray stageKeys = new JsonArray();
    JsonArray given = RestInputs.array(in, "stageKeys");
    if (given != null) {
      for (Object o : given) {
        if (!(o instanceof JsonObject sk)) throw badRequest("Invalid input for 'stageKeys': expected a list of objects");
        String apiId = RestInputs.required(sk, "restApiId");
        String stage = RestInputs.required(sk, "stageName");
        RestStages.find(access.find(ctx, apiId), new JsonObject().put("stageName", stage));
        stageKeys.add(apiId + "/" + stage);
      }
    }
    key.put("stageKeys", stageKeys);
    JsonObject tags = RestInputs.stringMap(in, "tags");
    if (tags != null && !tags.isEmpty()) key.put("tags", RestTags.check(tags));
    Changes changes = new Changes().putOwner(keyOwner(ctx.accountId(), ctx.region(), id),
        new JsonObject().put("Account", ctx.accountId()).put("Region", ctx.region()).put("Kind", KIND).put("ApiKey", key));
    return new RestAccess.AccountChange(changes, key.copy(), List.of());
  }

  /** A key's output: without its value unless asked. */
  static JsonObject output(JsonObject key, boolean withValue) {
    JsonObject out = key.copy();
    if (!withValue) out.remove("value");
    return out;
  }

  /** The caller's API key of this id; else NotFoundException. */
  JsonObject find(RequestContext ctx, String id) {
    return findOwner(ctx, id).record().getJsonObject("ApiKey");
  }

  Owner findOwner(RequestContext ctx, String id) {
    Owner o = id == null ? null : access.table.get(RestAccess.partitionOf(ctx), keyOwner(ctx.accountId(), ctx.region(), id));
    if (o == null) throw ApiGatewayErrors.notFound("Invalid API Key identifier specified");
    return o;
  }

  /** The REST APIs of the usage plans holding the key: their deployed stages change with it. */
  private Set<String> plannedApis(RequestContext ctx, String keyId) {
    Set<String> apis = new LinkedHashSet<>();
    for (Owner plan : access.accountOwners("u", ctx.accountId(), ctx.region())) {
      if (plan.child(PLAN_KEY, keyId) == null) continue;
      for (Object s : plan.record().getJsonObject("UsagePlan").getJsonArray("apiStages", new JsonArray())) {
        apis.add(((JsonObject) s).getString("apiId"));
      }
    }
    return apis;
  }

  private String generate() {
    StringBuilder b = new StringBuilder(40);
    for (int i = 0; i < 40; i++) b.append(VALUE_ALPHABET.charAt(random.nextInt(VALUE_ALPHABET.length())));
    return b.toString();
  }
}
