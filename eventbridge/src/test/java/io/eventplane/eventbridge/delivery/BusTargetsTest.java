package io.eventplane.eventbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What a bus target's PutEvents answer means for the delivery: its one entry decides, not the call's success. */
class BusTargetsTest {
  @Test
  void anEntryWithAnEventIdIsDeliveredAFailedOneIsNot() {
    assertThat(BusTargets.entryOutcome(answer(new JsonObject().put("EventId", "e")))).isEqualTo(Outcome.delivered());
    assertThat(BusTargets.entryOutcome(answer(new JsonObject().put("ErrorCode", "InternalFailure")
        .put("ErrorMessage", "Internal Service Failure"))))
        .isEqualTo(Outcome.serverError("CONNECTION_FAILURE", "Internal Service Failure"));
    assertThat(BusTargets.entryOutcome(answer(new JsonObject().put("ErrorCode", "MalformedDetail")
        .put("ErrorMessage", "Detail is malformed."))))
        .isEqualTo(Outcome.clientError("INVALID_PARAMETER", "Detail is malformed."));
  }

  private static JsonObject answer(JsonObject entry) {
    return new JsonObject().put("FailedEntryCount", entry.containsKey("EventId") ? 0 : 1)
        .put("Entries", new JsonArray().add(entry));
  }
}
