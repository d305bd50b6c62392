package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.invoke.limits.TokenBucket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A REST API stage's API keys, usage plans and stage throttling at invoke time ("Usage plans and API
 * keys for REST APIs" and "Throttle requests to your REST APIs"): a method with {@code apiKeyRequired}
 * needs the {@code x-api-key} header to name an enabled key of a usage plan bound to the stage, else
 * 403 {@code {"message":"Forbidden"}}; the key's plan throttles it (the plan's rate and burst, or the
 * plan's per-method throttle for this stage) and counts it against the plan's quota per day, week or
 * month (UTC, the week and month starting {@code offset} days in, see {@link #window}): 429 {@code {"message":"Too Many Requests"}} and 429 {@code {"message":"Limit Exceeded"}}.
 * The stage's method settings ({@code throttlingRateLimit}/{@code throttlingBurstLimit} for
 * {@code <path>/<METHOD>}, else {@code * /*}) throttle every request of the method.
 *
 * <p>Buckets and quota counters are in this node's memory: a cluster of N nodes admits up to N times
 * each limit, and a restart starts the counts afresh (AWS keeps quotas across its fleet).
 */
public final class RestLimits implements io.vertx.core.shareddata.Shareable {
  private static final String LOCAL_MAP = "eventplane.apigateway.rest-limits";

  /** The node's limits, shared by the gateway's instances (as the quotas must be). */
  public static RestLimits of(io.vertx.core.Vertx vertx) {
    io.vertx.core.shareddata.LocalMap<String, RestLimits> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    RestLimits made = new RestLimits();
    RestLimits found = node.putIfAbsent("limits", made);
    return found != null ? found : made;
  }

  /** A key that was accepted: its id and value, for {@code $context.identity.apiKey(Id)}. */
  public record Key(String id, String value) {}

  /** The outcome: the key (null when none was required) or the refusal. */
  public record Admission(Key key, InvokeResponse refusal) {}

  private static final int MAX_ENTRIES = 100_000;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> quotas = new ConcurrentHashMap<>();

  /**
   * @param snapshot the stage's deployed snapshot (ApiKeys, UsagePlans, Stage)
   * @param methodKey the method as method settings name it: {@code /orders/{id}/GET}
   */
  public Admission admit(JsonObject snapshot, String apiId, String stage, String resourcePath, String httpMethod,
      boolean apiKeyRequired, String apiKeyHeader, long nowMillis) {
    if (buckets.size() > MAX_ENTRIES) buckets.clear();
    if (quotas.size() > MAX_ENTRIES) quotas.clear();
    InvokeResponse stageRefusal = stageThrottle(snapshot.getJsonObject("Stage", new JsonObject()), apiId, stage, resourcePath,
        httpMethod, nowMillis);
    if (!apiKeyRequired) return new Admission(null, stageRefusal);
    JsonObject key = keyOf(snapshot.getJsonArray("ApiKeys"), apiKeyHeader);
    if (key == null) return new Admission(null, RestAnswers.error(403, "ForbiddenException", "Forbidden"));
    if (stageRefusal != null) return new Admission(null, stageRefusal);
    JsonObject plan = planOf(snapshot.getJsonArray("UsagePlans"), key.getString("usagePlanId"));
    Key accepted = new Key(key.getString("id"), key.getString("value"));
    if (plan == null) return new Admission(accepted, null);
    String planKey = plan.getString("id") + "/" + key.getString("id");
    JsonObject throttle = methodThrottle(plan, resourcePath + "/" + httpMethod);
    if (throttle == null) throttle = plan.getJsonObject("throttle");
    if (throttle != null && !take("p/" + planKey + "/" + resourcePath + "/" + httpMethod, throttle.getDouble("rateLimit", -1.0),
        throttle.getInteger("burstLimit", -1), nowMillis)) {
      return new Admission(null, RestAnswers.error(429, "TooManyRequestsException", "Too Many Requests"));
    }
    JsonObject quota = plan.getJsonObject("quota");
    if (quota != null && quota.getInteger("limit") != null) {
      String window = window(quota.getString("period", "DAY"), quota.getInteger("offset", 0), nowMillis);
      AtomicLong used = quotas.computeIfAbsent("q/" + planKey + "/" + window, k -> new AtomicLong());
      if (used.incrementAndGet() > quota.getInteger("limit")) {
        return new Admission(null, RestAnswers.error(429, "LimitExceededException", "Limit Exceeded"));
      }
    }
    return new Admission(accepted, null);
  }

  private InvokeResponse stageThrottle(JsonObject stageRecord, String apiId, String stage, String resourcePath,
      String httpMethod, long nowMillis) {
    JsonObject settings = stageRecord.getJsonObject("methodSettings");
    if (settings == null || settings.isEmpty()) return null;
    String own = resourcePath.replace("/", "~1") + "/" + httpMethod;
    String plain = (resourcePath.startsWith("/") ? resourcePath.substring(1) : resourcePath) + "/" + httpMethod;
    JsonObject setting = settings.getJsonObject(own);
    if (setting == null) setting = settings.getJsonObject(plain);
    if (setting == null) setting = settings.getJsonObject("*/*");
    if (setting == null || setting.getValue("throttlingRateLimit") == null) return null;
    boolean admitted = take("s/" + apiId + "/" + stage + "/" + own, setting.getDouble("throttlingRateLimit"),
        setting.getInteger("throttlingBurstLimit", 0), nowMillis);
    return admitted ? null : RestAnswers.error(429, "TooManyRequestsException", "Too Many Requests");
  }

  private boolean take(String name, double rate, int burst, long nowMillis) {
    if (rate < 0 && burst < 0) return true;
    double r = rate < 0 ? Double.MAX_VALUE : rate;
    int b = burst < 0 ? Integer.MAX_VALUE : burst;
    TokenBucket bucket = buckets.computeIfAbsent(name, k -> new TokenBucket(r, b, nowMillis));
    if (!bucket.sameLimits(r, b)) bucket.reconfigure(r, b);
    return bucket.tryAcquire(nowMillis);
  }

  private static JsonObject keyOf(JsonArray keys, String value) {
    if (keys == null || value == null || value.isEmpty()) return null;
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      if (value.equals(key.getString("value")) && key.getBoolean("enabled", false)) return key;
    }
    return null;
  }

  private static JsonObject planOf(JsonArray plans, String id) {
    if (plans == null || id == null) return null;
    for (int i = 0; i < plans.size(); i++) if (id.equals(plans.getJsonObject(i).getString("id"))) return plans.getJsonObject(i);
    return null;
  }

  /** The plan's throttle for one method of this stage ({@code apiStages[0].throttle["/orders/GET"]}), or null. */
  private static JsonObject methodThrottle(JsonObject plan, String methodKey) {
    JsonArray stages = plan.getJsonArray("apiStages");
    if (stages == null || stages.isEmpty()) return null;
    JsonObject throttle = stages.getJsonObject(0).getJsonObject("throttle");
    return throttle == null ? null : throttle.getJsonObject(methodKey);
  }

  /**
   * The quota window a moment falls in (UTC), by QuotaSettings' {@code offset}, "the day that a time
   * period starts": a week starts on Sunday plus the offset (0 Sunday, 1 Monday, ... 6 Saturday), a
   * month on its day 1 plus the offset (CreateUsagePlan admits 0-27, so every month has that day); a
   * day has no offset (CreateUsagePlan admits only 0).
   */
  static String window(String period, int offset, long nowMillis) {
    LocalDate day = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case "WEEK" -> {
        DayOfWeek first = DayOfWeek.SUNDAY.plus(Math.floorMod(offset, 7));
        yield "W" + day.with(TemporalAdjusters.previousOrSame(first));
      }
      case "MONTH" -> {
        int startDay = 1 + Math.max(0, Math.min(offset, 27));
        LocalDate start = day.getDayOfMonth() >= startDay ? day.withDayOfMonth(startDay) : day.minusMonths(1).withDayOfMonth(startDay);
        yield "M" + start;
      }
      default -> "D" + day;
    };
  }
}
