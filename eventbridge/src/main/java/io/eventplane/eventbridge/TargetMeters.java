package io.eventplane.eventbridge;

import io.eventplane.common.metrics.DeliveryEndpointMeters;
import io.eventplane.eventbridge.delivery.Deliveries;
import io.eventplane.eventbridge.delivery.RuleMetrics;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One EventBridge lane's rules and targets in the node's metrics: per rule (account, region, bus,
 * rule) the events it matched (CloudWatch's MatchedEvents); per target (the same and the target's
 * id) deliveries, failed attempts and events moved to the target's dead-letter queue (Invocations,
 * FailedInvocations, InvocationsSentToDlq), and a gauge of the deliveries waiting for a retry.
 *
 * <p>Everything but the gauges' reads runs on the lane's context; {@link #refresh()} copies the
 * retries pending there before a scrape. A target the lane no longer has (removed, its rule or
 * bus deleted, or the partition moved away) loses its gauge; counters stay, so that a sum over the
 * nodes never goes down.
 */
final class TargetMeters implements RuleMetrics {
  private static final DeliveryEndpointMeters.Names NAMES = new DeliveryEndpointMeters.Names(
      "eventplane_events_target_deliveries", "Events the target took (Invocations)",
      "eventplane_events_target_delivery_failures", "Failed delivery attempts to the target, retried or not",
      "eventplane_events_target_moved_to_dlq", "Events moved to the target's dead-letter queue (InvocationsSentToDlq)",
      "eventplane_events_target_retries_pending", "Deliveries to the target that failed and wait for another attempt");
  private final MeterRegistry registry;
  private final Buses buses;
  private final Deliveries deliveries;
  /** By rule ARN; lane-confined. */
  private final Map<String, Counter> matched = new HashMap<>();
  /** By rule ARN and target id (no key made per call); lane-confined. */
  private final Map<String, Map<String, DeliveryEndpointMeters>> targets = new HashMap<>();

  TargetMeters(MeterRegistry registry, Buses buses, Deliveries deliveries) {
    this.registry = registry;
    this.buses = buses;
    this.deliveries = deliveries;
  }

  @Override
  public void matched(Rule rule) {
    Counter c = matched.get(rule.arn());
    if (c == null) {
      c = Counter.builder("eventplane_events_rule_matched_events").description("Events that matched the rule (MatchedEvents)")
          .tags(ruleTags(rule)).register(registry);
      matched.put(rule.arn(), c);
    }
    c.increment();
  }

  @Override
  public void delivered(Rule rule, Target target) {
    of(rule, target).delivered();
  }

  @Override
  public void failed(Rule rule, Target target) {
    of(rule, target).failed();
  }

  @Override
  public void deadLettered(Rule rule, Target target) {
    of(rule, target).deadLettered();
  }

  /** On the lane's context: every target's retries pending into its gauge; the gauges of targets gone removed. */
  void refresh() {
    Map<String, Integer> retries = deliveries.retriesPending();
    Set<DeliveryEndpointMeters> present = new HashSet<>();
    for (Rule rule : buses.allRules()) {
      for (Target target : rule.targets().values()) {
        DeliveryEndpointMeters p = of(rule, target);
        present.add(p);
        p.retriesPending(retries.getOrDefault(Deliveries.targetKey(rule.arn(), target.id()), 0));
      }
    }
    for (Map<String, DeliveryEndpointMeters> ofRule : targets.values()) {
      for (DeliveryEndpointMeters p : ofRule.values()) if (!present.contains(p)) p.gone();
    }
  }

  private static Tags ruleTags(Rule rule) {
    return Tags.of("account", rule.bus().account(), "region", rule.bus().region(), "bus", rule.bus().name(), "rule", rule.name());
  }

  private DeliveryEndpointMeters of(Rule rule, Target target) {
    Map<String, DeliveryEndpointMeters> ofRule = targets.computeIfAbsent(rule.arn(), arn -> new HashMap<>());
    DeliveryEndpointMeters p = ofRule.get(target.id());
    if (p == null) {
      p = new DeliveryEndpointMeters(registry, NAMES, ruleTags(rule).and("target", target.id()));
      ofRule.put(target.id(), p);
    }
    return p;
  }
}
