package io.eventplane.storage.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A bucket: its global name, the account that owns it, its region and its configurations.
 *
 * @param notifications the NotificationConfiguration as stored (canonical JSON), or null
 * @param configurations other subresources stored and returned as given (policy, cors, ...), by name
 */
public record Bucket(String name, String accountId, String region, long createdAt, JsonObject notifications,
    JsonObject configurations) {
  public Bucket {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    configurations = configurations == null ? new JsonObject() : configurations;
  }

  public String arn() {
    return "arn:aws:s3:::" + name;
  }

  public Bucket withNotifications(JsonObject config) {
    return new Bucket(name, accountId, region, createdAt, config, configurations);
  }

  /** A stored subresource (cors, tagging, policy, ...) by name, or null. */
  public JsonObject configuration(String subresource) {
    return configurations.getJsonObject(subresource);
  }

  /** The same bucket with a subresource set, or removed when {@code value} is null. */
  public Bucket withConfiguration(String subresource, Object value) {
    JsonObject next = configurations.copy();
    if (value == null) next.remove(subresource);
    else next.put(subresource, value);
    return new Bucket(name, accountId, region, createdAt, notifications, next);
  }

  /** {@code Enabled}, {@code Suspended}, or null for a bucket whose versioning was never set. */
  public String versioning() {
    return configurations.getString(VERSIONING);
  }

  /** The configuration name of the versioning status. */
  public static final String VERSIONING = "versioning";

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("account", accountId).put("region", region).put("created", createdAt)
        .put("notifications", notifications).put("configurations", configurations);
  }

  public static Bucket fromJson(JsonObject j) {
    return new Bucket(j.getString("name"), j.getString("account"), j.getString("region"), j.getLong("created"),
        j.getJsonObject("notifications"), j.getJsonObject("configurations"));
  }
}
