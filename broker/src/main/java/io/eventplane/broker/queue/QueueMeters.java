package io.eventplane.broker.queue;

import io.eventplane.broker.queue.domain.MessageIndex;
import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueMetrics;
import io.eventplane.broker.queue.domain.Queues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One SQS lane's queues in the node's metrics, labelled by account, region and queue name:
 * counters of messages sent, received, deleted and moved to the dead-letter queue, and gauges of
 * the visible, in-flight and delayed messages and the age of the oldest (what GetQueueAttributes
 * and CloudWatch's ApproximateAgeOfOldestMessage report).
 *
 * <p>Everything but the gauges' reads runs on the lane's context: the counters are found and
 * incremented there, and before a scrape {@link #refresh()} copies each queue's counts into its
 * gauges there, so the scrape (on a worker) reads only those copies. A queue the lane no longer has
 * (deleted, or its partition moved to another node) loses its gauges; its counters stay, so that a
 * sum over the nodes never goes down.
 */
final class QueueMeters implements QueueMetrics {
  private final MeterRegistry registry;
  private final Queues queues;
  /** By queue ARN; lane-confined. */
  private final Map<String, PerQueue> byArn = new HashMap<>();

  QueueMeters(MeterRegistry registry, Queues queues) {
    this.registry = registry;
    this.queues = queues;
  }

  @Override
  public void sent(Queue q, int messages) {
    if (messages > 0) of(q).sent.increment(messages);
  }

  @Override
  public void received(Queue q, int messages) {
    of(q).received.increment(messages);
  }

  @Override
  public void deleted(Queue q, int messages) {
    of(q).deleted.increment(messages);
  }

  @Override
  public void movedToDeadLetterQueue(Queue q, int messages) {
    of(q).deadLettered.increment(messages);
  }

  /** On the lane's context: each queue's counts into its gauges; the gauges of queues gone removed. */
  void refresh() {
    long now = queues.clock().millis();
    java.util.Set<String> present = new java.util.HashSet<>();
    for (Queue q : queues.all()) {
      PerQueue p = of(q);
      present.add(q.arn());
      MessageIndex index = q.index();
      p.visible = index.visibleCount();
      p.inFlight = index.inFlightCount();
      p.delayed = index.delayedCount();
      long oldest = index.oldestSentTimestamp();
      p.oldestAgeSeconds = oldest < 0 ? 0 : Math.max(0, now - oldest) / 1000.0;
      p.gauges(true);
    }
    for (Iterator<Map.Entry<String, PerQueue>> it = byArn.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, PerQueue> e = it.next();
      if (!present.contains(e.getKey())) e.getValue().gauges(false);
    }
  }

  private PerQueue of(Queue q) {
    PerQueue p = byArn.get(q.arn());
    if (p == null) {
      p = new PerQueue(Tags.of("account", q.accountId(), "region", q.record().region(), "queue", q.name()));
      byArn.put(q.arn(), p);
    }
    return p;
  }

  private final class PerQueue {
    final Tags tags;
    final Counter sent;
    final Counter received;
    final Counter deleted;
    final Counter deadLettered;
    volatile long visible;
    volatile long inFlight;
    volatile long delayed;
    volatile double oldestAgeSeconds;
    private java.util.List<Gauge> gauges;

    PerQueue(Tags tags) {
      this.tags = tags;
      sent = counter("eventplane_sqs_messages_sent", "Messages added to the queue");
      received = counter("eventplane_sqs_messages_received", "Messages handed to receivers");
      deleted = counter("eventplane_sqs_messages_deleted", "Messages deleted by DeleteMessage");
      deadLettered = counter("eventplane_sqs_messages_moved_to_dlq", "Messages moved to the dead-letter queue by the redrive policy");
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** Registers the gauges (once) or removes them. */
    void gauges(boolean present) {
      if (present && gauges == null) {
        gauges = java.util.List.of(
            gauge("eventplane_sqs_messages_visible", "Messages available for retrieval (ApproximateNumberOfMessages)", p -> p.visible),
            gauge("eventplane_sqs_messages_in_flight", "Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible)",
                p -> p.inFlight),
            gauge("eventplane_sqs_messages_delayed", "Messages not yet available because of a delay (ApproximateNumberOfMessagesDelayed)",
                p -> p.delayed),
            gauge("eventplane_sqs_oldest_message_age_seconds", "Age of the oldest message in the queue (ApproximateAgeOfOldestMessage)",
                p -> p.oldestAgeSeconds));
      } else if (!present && gauges != null) {
        for (Gauge g : gauges) registry.remove(g);
        gauges = null;
      }
    }

    private Gauge gauge(String name, String description, java.util.function.ToDoubleFunction<PerQueue> value) {
      return Gauge.builder(name, this, value).description(description).tags(tags).strongReference(true).register(registry);
    }
  }
}
