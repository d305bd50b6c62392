package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.PLAN_KEY;
import static io.eventplane.apigateway.rest.RestAccess.planOwner;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Usage plans and their keys: CreateUsagePlan, GetUsagePlan, GetUsagePlans (by {@code keyId}),
 * UpdateUsagePlan, DeleteUsagePlan, CreateUsagePlanKey, GetUsagePlanKey, GetUsagePlanKeys and
 * DeleteUsagePlanKey. A plan names the API stages it covers ({@code apiStages}), its throttle and
 * its quota; its keys are API keys of the account (a key may be in one plan per API stage). Plans
 * are the account's, stored as owners {@code u/<account>/<region>/<id>} in the account's partition,
 * their keys as children; a change tells the gateways serving the plan's API stages.
 * Used only on the lane's context.
 */
final class UsagePlans {
  static final String KIND = "USAGEPLAN";
  private static final List<String> PERIODS = List.of("DAY", "WEEK", "MONTH");

  private final RestAccess access;
  private final ApiKeys keys;
  private final Patches patches;

  UsagePlans(RestAccess access, ApiKeys keys) {
    this.access = access;
    this.keys = keys;
    this.patches = new Patches()
        .scalar("name", Patches.Kind.STRING, false)
        .scalar("description", Patches.Kind.STRING, true)
        .scalar("productCode", Patches.Kind.STRING, true)
        .custom("/throttle", (plan, op, rest) -> part(plan, op, rest, "throttle",
            Map.of("burstLimit", Patches.Kind.INT, "rateLimit", Patches.Kind.DOUBLE)))
        .custom("/quota", (plan, op, rest) -> part(plan, op, rest, "quota",
            Map.of("limit", Patches.Kind.INT, "offset", Patches.Kind.INT, "period", Patches.Kind.STRING)))
        .custom("/apiStages", this::patchStages);
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    RequestContext ctx = request.context();
    return switch (request.operation()) {
      case "CreateUsagePlan" -> access.changeAccount(request, partition -> create(ctx, in));
      case "GetUsagePlan" -> Future.succeededFuture(find(ctx, in).record().getJsonObject("UsagePlan").copy());
      case "GetUsagePlans" -> {
        String keyId = RestInputs.string(in, "keyId");
        List<JsonObject> plans = access.accountOwners("u", ctx.accountId(), ctx.region()).stream()
            .filter(o -> keyId == null || o.child(PLAN_KEY, keyId) != null)
            .map(o -> o.record().getJsonObject("UsagePlan").copy()).toList();
        yield Future.succeededFuture(RestPaging.page(in, plans, "id"));
      }
      case "UpdateUsagePlan" -> access.changeAccount(request, partition -> {
        Owner plan = find(ctx, in);
        JsonObject before = plan.record().getJsonObject("UsagePlan");
        JsonObject updated = patches.apply(before, in);
        check(updated);
        for (Object s : updated.getJsonArray("apiStages", new JsonArray())) checkStage(ctx, (JsonObject) s);
        for (String keyId : plan.children(PLAN_KEY).keySet()) checkKeyStages(ctx, keyId, updated, plan.key());
        Set<String> apis = apis(before);
        apis.addAll(apis(updated));
        return new RestAccess.AccountChange(new Changes().putOwner(plan.key(), plan.record().copy().put("UsagePlan", updated)),
            updated.copy(), apis);
      });
      case "DeleteUsagePlan" -> access.changeAccount(request, partition -> {
        Owner plan = find(ctx, in);
        return new RestAccess.AccountChange(new Changes().deleteOwner(plan.key()), new JsonObject(),
            apis(plan.record().getJsonObject("UsagePlan")));
      });
      case "CreateUsagePlanKey" -> access.changeAccount(request, partition -> {
        Owner plan = find(ctx, in);
        String keyId = RestInputs.required(in, "keyId");
        String type = RestInputs.required(in, "keyType");
        if (!type.equals("API_KEY")) throw badRequest("Invalid key type specified: " + type + ". Must be API_KEY");
        JsonObject key = keys.find(ctx, keyId);
        if (plan.child(PLAN_KEY, keyId) != null) throw conflict("Usage plan key already exists: " + keyId);
        checkKeyStages(ctx, keyId, plan.record().getJsonObject("UsagePlan"), plan.key());
        return new RestAccess.AccountChange(new Changes().putChild(plan.key(), PLAN_KEY, keyId,
            new JsonObject().put("id", keyId).put("type", type)), planKey(key), apis(plan.record().getJsonObject("UsagePlan")));
      });
      case "GetUsagePlanKey" -> Future.succeededFuture(planKey(findKey(ctx, find(ctx, in), in)));
      case "GetUsagePlanKeys" -> {
        Owner plan = find(ctx, in);
        String name = RestInputs.string(in, "nameQuery");
        List<JsonObject> out = new ArrayList<>();
        for (String keyId : plan.children(PLAN_KEY).keySet()) {
          JsonObject key = keys.find(ctx, keyId);
          if (name == null || key.getString("name", "").startsWith(name)) out.add(planKey(key));
        }
        yield Future.succeededFuture(RestPaging.page(in, out, "id"));
      }
      case "DeleteUsagePlanKey" -> access.changeAccount(request, partition -> {
        Owner plan = find(ctx, in);
        JsonObject key = findKey(ctx, plan, in);
        return new RestAccess.AccountChange(new Changes().deleteChild(plan.key(), PLAN_KEY, key.getString("id")), new JsonObject(),
            apis(plan.record().getJsonObject("UsagePlan")));
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private RestAccess.AccountChange create(RequestContext ctx, JsonObject in) {
    String id = access.id(6);
    JsonObject plan = new JsonObject().put("id", id).put("name", RestInputs.required(in, "name"));
    String description = RestInputs.string(in, "description");
    if (description != null) plan.put("description", description);
    JsonArray stages = new JsonArray();
    JsonArray given = RestInputs.array(in, "apiStages");
    if (given != null) {
      for (Object o : given) {
        if (!(o instanceof JsonObject s)) throw badRequest("Invalid input for 'apiStages': expected a list of objects");
        JsonObject stage = new JsonObject().put("apiId", RestInputs.required(s, "apiId")).put("stage", RestInputs.required(s, "stage"));
        JsonObject throttle = RestInputs.object(s, "throttle");
        if (throttle != null && !throttle.isEmpty()) stage.put("throttle", throttle.copy());
        checkStage(ctx, stage);
        stages.add(stage);
      }
    }
    plan.put("apiStages", stages);
    JsonObject throttle = RestInputs.object(in, "throttle");
    if (throttle != null) plan.put("throttle", throttle.copy());
    JsonObject quota = RestInputs.object(in, "quota");
    if (quota != null) plan.put("quota", quota.copy());
    String productCode = RestInputs.string(in, "productCode");
    if (productCode != null) plan.put("productCode", productCode);
    JsonObject tags = RestInputs.stringMap(in, "tags");
    if (tags != null && !tags.isEmpty()) plan.put("tags", RestTags.check(tags));
    check(plan);
    Changes changes = new Changes().putOwner(planOwner(ctx.accountId(), ctx.region(), id),
        new JsonObject().put("Account", ctx.accountId()).put("Region", ctx.region()).put("Kind", KIND).put("UsagePlan", plan));
    return new RestAccess.AccountChange(changes, plan.copy(), apis(plan));
  }

  private Owner find(RequestContext ctx, JsonObject in) {
    String id = RestInputs.string(in, "usagePlanId");
    Owner o = id == null ? null : access.table.get(RestAccess.partitionOf(ctx), planOwner(ctx.accountId(), ctx.region(), id));
    if (o == null) throw ApiGatewayErrors.notFound("Invalid Usage Plan ID specified");
    return o;
  }

  private JsonObject findKey(RequestContext ctx, Owner plan, JsonObject in) {
    String keyId = RestInputs.string(in, "keyId");
    if (keyId == null || plan.child(PLAN_KEY, keyId) == null) throw ApiGatewayErrors.notFound("Invalid Usage Plan Key identifier specified");
    return keys.find(ctx, keyId);
  }

  private static JsonObject planKey(JsonObject key) {
    JsonObject out = new JsonObject().put("id", key.getString("id")).put("type", "API_KEY").put("value", key.getString("value"));
    if (key.containsKey("name")) out.put("name", key.getString("name"));
    return out;
  }

  /** A plan's API stage names one of the caller's REST APIs and its stage. */
  private void checkStage(RequestContext ctx, JsonObject stage) {
    Owner api = access.find(ctx, stage.getString("apiId"));
    if (api.child(RestAccess.STAGE, stage.getString("stage")) == null) {
      throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
    }
    JsonObject throttle = stage.getJsonObject("throttle");
    if (throttle != null) {
      for (Map.Entry<String, Object> e : throttle) {
        if (!(e.getValue() instanceof JsonObject t)) throw badRequest("Invalid throttle settings for " + e.getKey());
        checkThrottle(t);
      }
    }
  }

  /** A key may be in only one plan per API stage. */
  private void checkKeyStages(RequestContext ctx, String keyId, JsonObject plan, String self) {
    Set<String> mine = stageNames(plan);
    for (Owner other : access.accountOwners("u", ctx.accountId(), ctx.region())) {
      if (other.key().equals(self) || other.child(PLAN_KEY, keyId) == null) continue;
      for (String s : stageNames(other.record().getJsonObject("UsagePlan"))) {
        if (mine.contains(s)) {
          throw conflict("API Key " + keyId + " is already associated with a usage plan with the same API stage " + s);
        }
      }
    }
  }

  private static Set<String> stageNames(JsonObject plan) {
    Set<String> out = new LinkedHashSet<>();
    for (Object s : plan.getJsonArray("apiStages", new JsonArray())) {
      out.add(((JsonObject) s).getString("apiId") + ":" + ((JsonObject) s).getString("stage"));
    }
    return out;
  }

  private static Set<String> apis(JsonObject plan) {
    Set<String> out = new LinkedHashSet<>();
    for (Object s : plan.getJsonArray("apiStages", new JsonArray())) out.add(((JsonObject) s).getString("apiId"));
    return out;
  }

  private static void check(JsonObject plan) {
    JsonObject throttle = plan.getJsonObject("throttle");
    if (throttle != null) checkThrottle(throttle);
    JsonObject quota = plan.getJsonObject("quota");
    if (quota != null) {
      Integer limit = RestInputs.integer(quota, "limit");
      if (limit == null || limit < 0) throw badRequest("Invalid quota limit: must be a non-negative integer");
      Integer offset = RestInputs.integer(quota, "offset");
      if (offset != null && offset < 0) throw badRequest("Invalid quota offset: must be a non-negative integer");
      String period = RestInputs.string(quota, "period");
      if (period == null) throw badRequest("Invalid quota period: must be one of " + PERIODS);
      RestInputs.enumValue(period, "createUsagePlanInput.quota.period", PERIODS);
      JsonObject out = new JsonObject().put("limit", limit).put("offset", offset == null ? 0 : offset).put("period", period);
      plan.put("quota", out);
    }
  }

  private static void checkThrottle(JsonObject throttle) {
    Integer burst = RestInputs.integer(throttle, "burstLimit");
    Double rate = RestInputs.number(throttle, "rateLimit");
    if (burst != null && burst < 0) throw badRequest("Invalid throttle burstLimit: must be a non-negative integer");
    if (rate != null && rate < 0) throw badRequest("Invalid throttle rateLimit: must be non-negative");
  }

  private static void part(JsonObject plan, Patches.Op op, String rest, String member, Map<String, Patches.Kind> fields) {
    if (rest.isEmpty() && op.op().equals("remove")) {
      plan.remove(member);
      return;
    }
    Patches.Kind kind = fields.get(rest);
    if (kind == null || !op.op().equals("replace")) throw Patches.invalid(op);
    JsonObject part = plan.getJsonObject(member, new JsonObject()).copy();
    part.put(rest, Patches.convert(op.requiredValue(), kind, op.path()));
    plan.put(member, part);
  }

  private static final java.util.regex.Pattern STAGE_THROTTLE = java.util.regex.Pattern.compile(
      "([a-z0-9]+):([^/]+)/throttle/([^/]+)/([A-Z]+|\\*)(?:/(rateLimit|burstLimit))?");

  private static void patchStageThrottle(JsonObject plan, Patches.Op op, String rest) {
    java.util.regex.Matcher m = STAGE_THROTTLE.matcher(rest);
    if (!m.matches()) throw badRequest("Invalid patch path " + op.path());
    JsonArray stages = plan.getJsonArray("apiStages", new JsonArray()).copy();
    JsonObject stage = null;
    int at = -1;
    for (int i = 0; i < stages.size(); i++) {
      JsonObject j = stages.getJsonObject(i);
      if (m.group(1).equals(j.getString("apiId")) && m.group(2).equals(j.getString("stage"))) {
        stage = j.copy();
        at = i;
      }
    }
    if (stage == null) throw ApiGatewayErrors.notFound("Invalid API stage specified: " + m.group(1) + ":" + m.group(2));
    String unescaped = Patches.unescape(m.group(3));
    String key = (unescaped.startsWith("/") ? unescaped : "/" + unescaped) + "/" + m.group(4);
    JsonObject throttle = stage.getJsonObject("throttle", new JsonObject()).copy();
    if (m.group(5) == null) {
      if (!op.op().equals("remove")) throw Patches.invalid(op);
      throttle.remove(key);
    } else {
      if (!op.op().equals("replace") && !op.op().equals("add")) throw Patches.invalid(op);
      JsonObject one = throttle.getJsonObject(key, new JsonObject()).copy();
      Patches.Kind kind = m.group(5).equals("rateLimit") ? Patches.Kind.DOUBLE : Patches.Kind.INT;
      one.put(m.group(5), Patches.convert(op.value(), kind, op.path()));
      throttle.put(key, one);
    }
    if (throttle.isEmpty()) stage.remove("throttle");
    else stage.put("throttle", throttle);
    stages.set(at, stage);
    plan.put("apiStages", stages);
  }

  /**
   * {@code add}/{@code remove} {@code /apiStages} with the value {@code <apiId>:<stage>}, and an API
   * stage's per-method throttle: {@code replace /apiStages/<apiId>:<stage>/throttle/<~1path>/<METHOD>/rateLimit}
   * (or {@code burstLimit}), {@code remove /apiStages/<apiId>:<stage>/throttle/<~1path>/<METHOD>}; the
   * throttle map's key is {@code /path/METHOD}.
   */
  private void patchStages(JsonObject plan, Patches.Op op, String rest) {
    if (!rest.isEmpty()) {
      patchStageThrottle(plan, op, rest);
      return;
    }
    String value = op.requiredValue();
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) throw badRequest("Invalid API stage specified: " + value + ". Must be <apiId>:<stage>");
    String apiId = value.substring(0, colon);
    String stage = value.substring(colon + 1);
    JsonArray stages = plan.getJsonArray("apiStages", new JsonArray()).copy();
    JsonObject existing = null;
    for (Object s : stages) {
      JsonObject j = (JsonObject) s;
      if (apiId.equals(j.getString("apiId")) && stage.equals(j.getString("stage"))) existing = j;
    }
    switch (op.op()) {
      case "add" -> {
        if (existing == null) stages.add(new JsonObject().put("apiId", apiId).put("stage", stage));
      }
      case "remove" -> {
        if (existing == null) throw ApiGatewayErrors.notFound("Invalid API stage specified: " + value);
        stages.remove(existing);
      }
      default -> throw Patches.invalid(op);
    }
    plan.put("apiStages", stages);
  }
}
