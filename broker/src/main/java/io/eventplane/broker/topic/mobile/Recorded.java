package io.eventplane.broker.topic.mobile;

import io.vertx.core.json.JsonObject;

/**
 * A push or SMS message as Eventplane records it instead of sending it: what the
 * {@code /_eventplane/sns/platform-endpoint-messages} and {@code .../sms-messages} endpoints list.
 * The fields in lower case ({@code kind}, {@code accountId}, {@code region}) are the record's
 * address and are not listed.
 */
public final class Recorded {
  public static final String ENDPOINT = "endpoint";
  public static final String SMS = "sms";
  private static final java.util.Set<String> ADDRESS = java.util.Set.of("kind", "accountId", "region");

  private Recorded() {}

  public static JsonObject endpoint(String account, String region, String endpointArn, JsonObject message) {
    return message.copy().put("kind", ENDPOINT).put("accountId", account).put("region", region).put("TargetArn", endpointArn);
  }

  public static JsonObject sms(String account, String region, String phoneNumber, JsonObject message) {
    return message.copy().put("kind", SMS).put("accountId", account).put("region", region).put("PhoneNumber", phoneNumber);
  }

  /** Whether a record is of this kind, account and region, and (when given) of this target. */
  public static boolean matches(JsonObject r, String kind, String account, String region, String target) {
    if (!kind.equals(r.getString("kind")) || !account.equals(r.getString("accountId")) || !region.equals(r.getString("region"))) {
      return false;
    }
    return target == null || target.equals(r.getString(kind.equals(ENDPOINT) ? "TargetArn" : "PhoneNumber"));
  }

  /** The record as listed: without its address fields. */
  public static JsonObject listed(JsonObject r) {
    JsonObject out = new JsonObject();
    r.forEach(e -> {
      if (!ADDRESS.contains(e.getKey())) out.put(e.getKey(), e.getValue());
    });
    return out;
  }
}
