package io.eventplane.broker.queue.domain;

import io.eventplane.broker.queue.domain.QueueAttributes.RedriveAllowPolicy;

/** What a redrive check on one queue needs to know of another, which may be on another node. */
public record QueueFacts(boolean fifo, String redriveAllowPolicyJson) {
  public RedriveAllowPolicy redriveAllowPolicy() {
    return redriveAllowPolicyJson == null || redriveAllowPolicyJson.isEmpty() ? null : RedriveAllowPolicy.parse(redriveAllowPolicyJson);
  }
}
