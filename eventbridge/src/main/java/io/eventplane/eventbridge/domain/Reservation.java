package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A name (of {@code kind}: "bus", "archive", "replay", ...) held in an account and region's
 * registry for a resource that lives elsewhere: {@code home} names where (a bus ARN; the
 * {@code eventplane:Holds} question goes to its partition), {@code id} is the reserving call's,
 * {@code at} when it was made (service clock), {@code active} whether it counts towards a quota
 * that counts only running resources (replays). Immutable.
 */
public record Reservation(String account, String region, String kind, String name, String home, String id, long at,
    boolean active) {
  public Reservation {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(id, "id");
  }

  public Reservation inactive() {
    return new Reservation(account, region, kind, name, home, id, at, false);
  }

  public JsonObject toJson() {
    return new JsonObject().put("account", account).put("region", region).put("kind", kind).put("name", name)
        .put("home", home).put("id", id).put("at", at).put("active", active);
  }

  public static Reservation fromJson(JsonObject j) {
    return new Reservation(j.getString("account"), j.getString("region"), j.getString("kind"), j.getString("name"),
        j.getString("home"), j.getString("id"), j.getLong("at", 0L), j.getBoolean("active", true));
  }
}
