package io.eventplane.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of one endpoint a service delivers to with retries and a dead-letter queue (an SNS
 * subscription, an EventBridge rule's target): deliveries, failed attempts, messages dead-lettered,
 * and the gauge of deliveries waiting for another attempt, shown only while the endpoint is present.
 * Confined to the lane that delivers, but the gauge's value, read by a scrape.
 */
public final class DeliveryEndpointMeters {
  /** The meters' names and descriptions, one set per kind of endpoint. */
  public record Names(String delivered, String deliveredHelp, String failed, String failedHelp, String deadLettered,
      String deadLetteredHelp, String retriesPending, String retriesPendingHelp) {}

  private final MeterRegistry registry;
  private final Names names;
  private final Tags tags;
  private final Counter delivered;
  private final Counter failed;
  private final Counter deadLettered;
  private volatile long retriesPending;
  private Gauge gauge;

  public DeliveryEndpointMeters(MeterRegistry registry, Names names, Tags tags) {
    this.registry = registry;
    this.names = names;
    this.tags = tags;
    delivered = counter(names.delivered(), names.deliveredHelp());
    failed = counter(names.failed(), names.failedHelp());
    deadLettered = counter(names.deadLettered(), names.deadLetteredHelp());
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  public Tags tags() {
    return tags;
  }

  public void delivered() {
    delivered.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  /** The retries pending now, for an endpoint that exists: its gauge is registered if it was not. */
  public void retriesPending(long pending) {
    retriesPending = pending;
    if (gauge == null) {
      gauge = Gauge.builder(names.retriesPending(), this, p -> p.retriesPending)
          .description(names.retriesPendingHelp()).tags(tags).strongReference(true).register(registry);
    }
  }

  /** The endpoint is gone (or its partition moved away): its gauge goes, its counters stay. */
  public void gone() {
    if (gauge != null) {
      registry.remove(gauge);
      gauge = null;
    }
  }
}
