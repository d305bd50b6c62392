package io.eventplane.eventbridge.delivery;

import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;

/** Delivers to one kind of target (by the service in its ARN). Adding a kind is one implementation. */
public interface TargetChannel {
  /** Whether this channel delivers to the target's ARN. */
  boolean serves(String arn);

  /**
   * One attempt; never fails: every failure is an {@link Outcome}.
   *
   * @param input what the target receives (the event, or what the target's input settings make of it)
   * @param eventId the event's id (FIFO queues take it as the deduplication id)
   */
  Future<Outcome> deliver(Target target, String input, String eventId);

  /**
   * As above, for a channel that also reads the event itself (the envelope as it was put, whatever
   * the target's input settings make of it): a Kinesis target's partition key path reads the event.
   */
  default Future<Outcome> deliver(Target target, String input, String eventId, String event) {
    return deliver(target, input, eventId);
  }
}
