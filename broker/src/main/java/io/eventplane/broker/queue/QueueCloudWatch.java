package io.eventplane.broker.queue;

import io.eventplane.broker.queue.domain.MessageIndex;
import io.eventplane.broker.queue.domain.MessageState;
import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueMetrics;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One SQS lane's queues in CloudWatch's {@code AWS/SQS} namespace, dimension {@code QueueName}, as
 * AWS publishes them each minute: the gauges ApproximateNumberOfMessagesVisible, ...NotVisible,
 * ...Delayed and ApproximateAgeOfOldestMessage (seconds) read from the queue's index at the sample,
 * and NumberOfMessagesSent, NumberOfMessagesReceived, NumberOfMessagesDeleted, NumberOfEmptyReceives
 * and SentMessageSize (bytes: a statistic set of the minute's messages) counted since the previous
 * sample. Every queue the lane owns is published each minute, zeros included. Lane-confined: the
 * counters are incremented and sampled on the lane's context.
 */
final class QueueCloudWatch implements QueueMetrics, AwsMetricSource {
  static final String NAMESPACE = "AWS/SQS";

  private final Queues queues;
  /** Counts since the last sample, by queue ARN. */
  private final Map<String, Counts> byArn = new HashMap<>();

  private static final class Counts {
    long sent;
    long received;
    long deleted;
    long emptyReceives;
    long sizeCount;
    double sizeSum;
    double sizeMin = Double.POSITIVE_INFINITY;
    double sizeMax = Double.NEGATIVE_INFINITY;
  }

  QueueCloudWatch(Queues queues) {
    this.queues = queues;
  }

  private Counts of(Queue q) {
    return byArn.computeIfAbsent(q.arn(), k -> new Counts());
  }

  @Override
  public void sent(Queue q, int messages) {
    if (messages > 0) of(q).sent += messages;
  }

  @Override
  public void received(Queue q, int messages) {
    of(q).received += messages;
  }

  @Override
  public void deleted(Queue q, int messages) {
    of(q).deleted += messages;
  }

  @Override
  public void movedToDeadLetterQueue(Queue q, int messages) {}

  @Override
  public void sentSizes(Queue q, List<MessageState> added) {
    if (added.isEmpty()) return;
    Counts c = of(q);
    for (MessageState m : added) {
      c.sizeCount++;
      c.sizeSum += m.size();
      c.sizeMin = Math.min(c.sizeMin, m.size());
      c.sizeMax = Math.max(c.sizeMax, m.size());
    }
  }

  @Override
  public void emptyReceive(Queue q) {
    of(q).emptyReceives++;
  }

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    List<AwsMetricDatum> out = new ArrayList<>();
    Map<String, Counts> counted = new HashMap<>(byArn);
    byArn.clear();
    for (Queue q : queues.all()) {
      String account = q.accountId();
      String region = q.record().region();
      Map<String, String> dims = Map.of("QueueName", q.name());
      MessageIndex index = q.index();
      long oldest = index.oldestSentTimestamp();
      out.add(gauge(account, region, "ApproximateNumberOfMessagesVisible", dims, "Count", index.visibleCount()));
      out.add(gauge(account, region, "ApproximateNumberOfMessagesNotVisible", dims, "Count", index.inFlightCount()));
      out.add(gauge(account, region, "ApproximateNumberOfMessagesDelayed", dims, "Count", index.delayedCount()));
      out.add(gauge(account, region, "ApproximateAgeOfOldestMessage", dims, "Seconds",
          oldest < 0 ? 0 : Math.max(0, millis - oldest) / 1000));
      Counts c = counted.getOrDefault(q.arn(), new Counts());
      out.add(gauge(account, region, "NumberOfMessagesSent", dims, "Count", c.sent));
      out.add(gauge(account, region, "NumberOfMessagesReceived", dims, "Count", c.received));
      out.add(gauge(account, region, "NumberOfMessagesDeleted", dims, "Count", c.deleted));
      out.add(gauge(account, region, "NumberOfEmptyReceives", dims, "Count", c.emptyReceives));
      if (c.sizeCount > 0) {
        out.add(new AwsMetricDatum(account, region, NAMESPACE, "SentMessageSize", dims, "Bytes", c.sizeCount, c.sizeSum,
            c.sizeMin, c.sizeMax));
      }
    }
    return out;
  }

  private static AwsMetricDatum gauge(String account, String region, String name, Map<String, String> dims, String unit,
      double value) {
    return AwsMetricDatum.gauge(account, region, NAMESPACE, name, dims, unit, value);
  }
}
