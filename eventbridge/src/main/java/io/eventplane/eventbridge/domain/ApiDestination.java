package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An API destination: an HTTP endpoint a rule's target invokes through a connection. It lives in
 * the partition of its account and region with the connections ({@link Connection#partition}).
 */
public record ApiDestination(String account, String region, String name, String id, String description,
    String connectionArn, String endpoint, String httpMethod, int rateLimitPerSecond, long createdAt, long modifiedAt) {
  /** EventBridge's default InvocationRateLimitPerSecond. */
  public static final int DEFAULT_RATE_LIMIT = 300;

  public ApiDestination {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(connectionArn, "connectionArn");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(httpMethod, "httpMethod");
    if (rateLimitPerSecond < 1) throw new IllegalArgumentException("rate limit must be >= 1: " + rateLimitPerSecond);
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":api-destination/" + name + "/" + id;
  }

  public int partition() {
    return Connection.partition(account, region);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("account", account).put("region", region).put("name", name).put("id", id)
        .put("connectionArn", connectionArn).put("endpoint", endpoint).put("httpMethod", httpMethod)
        .put("rateLimit", rateLimitPerSecond).put("createdAt", createdAt).put("modifiedAt", modifiedAt);
    if (description != null) j.put("description", description);
    return j;
  }

  public static ApiDestination fromJson(JsonObject j) {
    return new ApiDestination(j.getString("account"), j.getString("region"), j.getString("name"), j.getString("id"),
        j.getString("description"), j.getString("connectionArn"), j.getString("endpoint"), j.getString("httpMethod"),
        j.getInteger("rateLimit"), j.getLong("createdAt"), j.getLong("modifiedAt"));
  }
}
