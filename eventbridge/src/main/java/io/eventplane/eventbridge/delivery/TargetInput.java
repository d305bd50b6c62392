package io.eventplane.eventbridge.delivery;

import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;

/**
 * What a target receives for an event: the one place where a target's input is made. For now the
 * whole event envelope; the target's Input, InputPath and InputTransformer (stored with the target)
 * are applied here once the transformation is in.
 */
final class TargetInput {
  private TargetInput() {}

  static String of(Rule rule, Target target, StoredEvent event) {
    return event.envelope();
  }
}
