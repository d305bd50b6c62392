package io.eventplane.cloudwatch.alarm;

import io.vertx.core.json.JsonObject;

/**
 * The outcome of evaluating an alarm once: the state it should be in, the reason in words (StateReason)
 * and in JSON (StateReasonData). A null state means "keep the current state" (TreatMissingData
 * {@code ignore} with too few datapoints to decide).
 */
public record Evaluation(AlarmState state, String reason, JsonObject reasonData) {
  public static Evaluation retain() {
    return new Evaluation(null, null, null);
  }

  public boolean retains() {
    return state == null;
  }
}
