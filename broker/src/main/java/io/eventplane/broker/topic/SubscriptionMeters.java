package io.eventplane.broker.topic;

import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.delivery.DeliveryMetrics;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.common.metrics.DeliveryEndpointMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One SNS lane's subscriptions in the node's metrics, labelled by account, region, topic and a
 * bounded name of the subscription ({@link #subscriptionLabel}): counters of deliveries, failed
 * attempts and messages moved to the subscription's dead-letter queue (CloudWatch's
 * NumberOfNotificationsDelivered, NumberOfNotificationsFailed, NumberOfNotificationsRedrivenToDlq),
 * and a gauge of the deliveries waiting for a retry.
 *
 * <p>Everything but the gauges' reads runs on the lane's context; {@link #refresh()} copies the
 * retries pending there before a scrape. Subscriptions with the same labels (the same queue name
 * in two accounts' endpoints of one topic) share their series. A subscription the lane no longer
 * has loses its gauge; its counters stay, so that a sum over the nodes never goes down.
 */
final class SubscriptionMeters implements DeliveryMetrics {
  private static final DeliveryEndpointMeters.Names NAMES = new DeliveryEndpointMeters.Names(
      "eventplane_sns_deliveries", "Messages the subscription's endpoint took (NumberOfNotificationsDelivered)",
      "eventplane_sns_delivery_failures", "Failed delivery attempts, retried or not",
      "eventplane_sns_messages_moved_to_dlq",
      "Messages moved to the subscription's dead-letter queue (NumberOfNotificationsRedrivenToDlq)",
      "eventplane_sns_retries_pending", "Deliveries that failed and wait for another attempt");
  private final MeterRegistry registry;
  private final Topics topics;
  private final Deliveries deliveries;
  /** By subscription ARN: the series it counts into; lane-confined. */
  private final Map<String, DeliveryEndpointMeters> byArn = new HashMap<>();
  /** By labels; lane-confined. */
  private final Map<Tags, DeliveryEndpointMeters> byTags = new HashMap<>();

  SubscriptionMeters(MeterRegistry registry, Topics topics, Deliveries deliveries) {
    this.registry = registry;
    this.topics = topics;
    this.deliveries = deliveries;
  }

  @Override
  public void delivered(Topic topic, Subscription sub) {
    of(topic, sub).delivered();
  }

  @Override
  public void failed(Topic topic, Subscription sub) {
    of(topic, sub).failed();
  }

  @Override
  public void deadLettered(Topic topic, Subscription sub) {
    of(topic, sub).deadLettered();
  }

  /** On the lane's context: every subscription's retries pending into its gauge; the gauges of those gone removed. */
  void refresh() {
    Map<String, Integer> retries = deliveries.retriesPending();
    Set<DeliveryEndpointMeters> present = new HashSet<>();
    Map<DeliveryEndpointMeters, Integer> counts = new HashMap<>();
    for (Topic topic : topics.all()) {
      for (Subscription sub : topic.subscriptions().values()) {
        DeliveryEndpointMeters p = of(topic, sub);
        present.add(p);
        counts.merge(p, retries.getOrDefault(sub.arn(), 0), Integer::sum);
      }
    }
    for (DeliveryEndpointMeters p : byTags.values()) {
      if (present.contains(p)) {
        p.retriesPending(counts.get(p));
      } else {
        p.gone();
      }
    }
    byArn.values().removeIf(p -> !present.contains(p));
  }

  private DeliveryEndpointMeters of(Topic topic, Subscription sub) {
    DeliveryEndpointMeters p = byArn.get(sub.arn());
    if (p == null) {
      Tags tags = Tags.of("account", topic.accountId(), "region", topic.arn().region(), "topic", topic.name(),
          "subscription", subscriptionLabel(sub.protocol(), sub.endpoint()));
      p = byTags.computeIfAbsent(tags, t -> new DeliveryEndpointMeters(registry, NAMES, t));
      byArn.put(sub.arn(), p);
    }
    return p;
  }

  /**
   * A subscription's name in labels: its protocol and the name of the endpoint's resource, never a
   * full URL, a phone number or an address: {@code sqs:queue-name}, {@code lambda:function-name},
   * {@code firehose:stream-name}, {@code application:app-name}, {@code http:host},
   * {@code https:host}, {@code email:domain}; {@code sms} alone.
   */
  static String subscriptionLabel(String protocol, String endpoint) {
    String e = endpoint == null ? "" : endpoint;
    return switch (protocol) {
      case "sqs", "lambda", "firehose" -> protocol + ":" + arnResourceName(e);
      case "application" -> protocol + ":" + applicationName(e);
      case "http", "https" -> protocol + ":" + host(e);
      case "email", "email-json" -> protocol + ":" + e.substring(e.lastIndexOf('@') + 1);
      default -> protocol;
    };
  }

  /** {@code arn:aws:sqs:r:a:name} is {@code name}; {@code arn:aws:lambda:r:a:function:name[:qualifier]} is {@code name}. */
  private static String arnResourceName(String arn) {
    String[] parts = arn.split(":", -1);
    if (parts.length >= 7 && parts[2].equals("lambda")) return parts[6];
    if (parts.length >= 6) {
      String resource = parts[5];
      return resource.substring(resource.indexOf('/') + 1);
    }
    return "";
  }

  /** {@code arn:aws:sns:r:a:endpoint/GCM/app/id} is {@code app}. */
  private static String applicationName(String arn) {
    String[] path = arn.split("/", -1);
    return path.length >= 3 ? path[2] : "";
  }

  private static String host(String url) {
    int start = url.indexOf("://");
    String rest = start < 0 ? url : url.substring(start + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) end = i;
    }
    String authority = rest.substring(0, end);
    return authority.substring(authority.lastIndexOf('@') + 1);
  }
}
