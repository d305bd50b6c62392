package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The event as EventBridge hands it to rules and targets: version "0", id, detail-type, source,
 * account, time (UTC, whole seconds), region, resources, detail, in that order.
 */
public final class Envelope {
  private Envelope() {}

  public static String of(String id, String detailType, String source, String account, Instant time, String region,
      JsonArray resources, JsonObject detail) {
    return new JsonObject().put("version", "0").put("id", id).put("detail-type", detailType).put("source", source)
        .put("account", account).put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)))
        .put("region", region).put("resources", resources == null ? new JsonArray() : resources).put("detail", detail)
        .encode();
  }
}
