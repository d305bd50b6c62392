package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An accepted event waiting for its deliveries (the outbox's message): the bus it was put on, the
 * envelope as targets receive it, and when it was ingested (the start of its retry age).
 */
public record StoredEvent(long seq, BusRef bus, String id, String envelope, long ingestedAt) {
  public StoredEvent {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(envelope, "envelope");
  }

  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("account", bus.account()).put("region", bus.region()).put("bus", bus.name())
        .put("id", id).put("envelope", envelope).put("ingestedAt", ingestedAt);
  }

  public static StoredEvent fromJson(JsonObject j) {
    return new StoredEvent(j.getLong("seq"), new BusRef(j.getString("account"), j.getString("region"), j.getString("bus")),
        j.getString("id"), j.getString("envelope"), j.getLong("ingestedAt"));
  }
}
