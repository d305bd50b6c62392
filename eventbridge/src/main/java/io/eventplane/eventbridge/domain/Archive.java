package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An archive of a bus: the events put on the bus that match its pattern (all of them without one),
 * kept for {@code retentionDays} (0 = for ever). It lives in its bus's partition; its counters are
 * updated in the batch that archives an event. Immutable; changes make a new value.
 */
public record Archive(String account, String region, String name, BusRef bus, String description, String eventPattern,
    int retentionDays, long createdAt, long eventCount, long sizeBytes) {
  public static final String ENABLED = "ENABLED";

  public Archive {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bus, "bus");
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":archive/" + name;
  }

  public Archive counting(long bytes) {
    return new Archive(account, region, name, bus, description, eventPattern, retentionDays, createdAt, eventCount + 1,
        sizeBytes + bytes);
  }

  public Archive uncounting(long events, long bytes) {
    return new Archive(account, region, name, bus, description, eventPattern, retentionDays, createdAt,
        Math.max(0, eventCount - events), Math.max(0, sizeBytes - bytes));
  }

  public Archive updated(String newDescription, String newPattern, int newRetention) {
    return new Archive(account, region, name, bus, newDescription, newPattern, newRetention, createdAt, eventCount, sizeBytes);
  }

  public JsonObject toJson() {
    return new JsonObject().put("account", account).put("region", region).put("name", name)
        .put("busAccount", bus.account()).put("busRegion", bus.region()).put("bus", bus.name())
        .put("description", description).put("eventPattern", eventPattern).put("retentionDays", retentionDays)
        .put("createdAt", createdAt).put("eventCount", eventCount).put("sizeBytes", sizeBytes);
  }

  public static Archive fromJson(JsonObject j) {
    return new Archive(j.getString("account"), j.getString("region"), j.getString("name"),
        new BusRef(j.getString("busAccount"), j.getString("busRegion"), j.getString("bus")), j.getString("description"),
        j.getString("eventPattern"), j.getInteger("retentionDays", 0), j.getLong("createdAt"), j.getLong("eventCount", 0L),
        j.getLong("sizeBytes", 0L));
  }
}
