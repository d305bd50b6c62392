package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * Event bus targets (this account's or another's, by ARN): PutEvents of the event to that bus,
 * which matches it against its own rules. The event keeps its source, detail-type, resources,
 * time, detail and account (another account's bus sees the sender's). A refused entry counts as a
 * client-side error.
 */
final class BusTargets implements TargetChannel {
  private final Vertx vertx;

  BusTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return BusRef.isArn(arn);
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    JsonObject event;
    try {
      event = new JsonObject(input);
    } catch (RuntimeException e) {
      return Future.succeededFuture(Outcome.clientError("INVALID_JSON", "The event is not a JSON object."));
    }
    JsonObject entry = new JsonObject().put("Source", event.getString("source")).put("DetailType", event.getString("detail-type"))
        .put("Detail", event.getValue("detail") instanceof JsonObject d ? d.encode() : "{}")
        .put("Resources", event.getValue("resources") instanceof JsonArray r ? r : new JsonArray())
        .put("EventBusName", target.arn());
    if (event.getValue("time") instanceof String t) {
      try {
        entry.put("Time", Instant.parse(t).getEpochSecond());
      } catch (RuntimeException ignored) {
        // no time: the receiving bus stamps its own
      }
    }
    String[] ar = ServiceCalls.accountRegion(target.arn());
    // Put as the event's own account: the receiving bus (named by its ARN) shows where the event came from.
    String account = event.getValue("account") instanceof String a ? a : ar[0];
    JsonObject in = new JsonObject().put("Entries", new JsonArray().add(entry));
    return ServiceCalls.call(vertx, Contracts.EVENTS, "PutEvents", in, account, ar[1], Set.of("ValidationException"),
        BusTargets::entryOutcome);
  }

  /**
   * The one entry's result: an EventId is delivered; InternalFailure and ThrottlingException are
   * retryable (the other bus's partition may be between owners), anything else refused for good.
   */
  static Outcome entryOutcome(JsonObject output) {
    JsonArray entries = output.getJsonArray("Entries");
    JsonObject entry = entries == null || entries.isEmpty() ? new JsonObject() : entries.getJsonObject(0);
    if (entry.getString("EventId") != null) return Outcome.delivered();
    String code = entry.getString("ErrorCode", "InternalFailure");
    String message = entry.getString("ErrorMessage", "");
    return switch (code) {
      case "InternalFailure", "ThrottlingException" -> Outcome.serverError(
          code.equals("ThrottlingException") ? "THROTTLING" : "CONNECTION_FAILURE", message);
      default -> Outcome.clientError("INVALID_PARAMETER", message);
    };
  }
}
