package io.eventplane.broker.topic;

import io.eventplane.broker.topic.delivery.DeliveryMetrics;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSets;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import java.util.List;
import java.util.Map;

/**
 * One SNS lane's topics in CloudWatch's {@code AWS/SNS} namespace, dimension {@code TopicName}, as
 * AWS publishes them for each minute a topic is used. One value per event, so Sum (and SampleCount)
 * is the minute's count: NumberOfMessagesPublished (a committed message; a FIFO duplicate is not one),
 * PublishSize (bytes of body and attributes per message), NumberOfNotificationsDelivered,
 * NumberOfNotificationsFailed (HTTP/S: every failed attempt, retries included; other protocols: once,
 * when SNS stops trying, as AWS counts them), NumberOfNotificationsFilteredOut and its
 * -MessageBody / -MessageAttributes (by the policy's scope) and -NoMessageAttributes (an attribute
 * policy and a message without attributes), NumberOfNotificationsRedrivenToDlq and
 * NumberOfNotificationsFailedToRedriveToDlq (the queue's policy refused, {@code --auth iam}).
 * Subscription confirmations are not counted. Lane-confined: recorded and sampled on the lane's context.
 */
final class TopicCloudWatch implements DeliveryMetrics, AwsMetricSource {
  static final String NAMESPACE = "AWS/SNS";

  private static final Map<String, String> UNITS = Map.of(
      "NumberOfMessagesPublished", "Count", "PublishSize", "Bytes",
      "NumberOfNotificationsDelivered", "Count", "NumberOfNotificationsFailed", "Count",
      "NumberOfNotificationsFilteredOut", "Count", "NumberOfNotificationsFilteredOut-MessageBody", "Count",
      "NumberOfNotificationsFilteredOut-MessageAttributes", "Count",
      "NumberOfNotificationsFilteredOut-NoMessageAttributes", "Count",
      "NumberOfNotificationsRedrivenToDlq", "Count", "NumberOfNotificationsFailedToRedriveToDlq", "Count");

  private final AwsMetricSets<TopicArn> sets = new AwsMetricSets<>(NAMESPACE, UNITS);

  private void count(Topic topic, String metric) {
    sets.of(topic.arn(), metric).add(1);
  }

  private static boolean http(Subscription sub) {
    return sub.protocol().equals("http") || sub.protocol().equals("https");
  }

  @Override
  public void published(Topic topic, long bytes) {
    count(topic, "NumberOfMessagesPublished");
    sets.of(topic.arn(), "PublishSize").add(bytes);
  }

  @Override
  public void filteredOut(Topic topic, Subscription sub, boolean bodyScope, boolean noAttributes) {
    count(topic, "NumberOfNotificationsFilteredOut");
    if (bodyScope) {
      count(topic, "NumberOfNotificationsFilteredOut-MessageBody");
    } else {
      count(topic, "NumberOfNotificationsFilteredOut-MessageAttributes");
      if (noAttributes) count(topic, "NumberOfNotificationsFilteredOut-NoMessageAttributes");
    }
  }

  @Override
  public void delivered(Topic topic, Subscription sub) {
    count(topic, "NumberOfNotificationsDelivered");
  }

  @Override
  public void failed(Topic topic, Subscription sub) {
    if (http(sub)) count(topic, "NumberOfNotificationsFailed");
  }

  @Override
  public void gaveUp(Topic topic, Subscription sub) {
    if (!http(sub)) count(topic, "NumberOfNotificationsFailed");
  }

  @Override
  public void deadLettered(Topic topic, Subscription sub) {
    count(topic, "NumberOfNotificationsRedrivenToDlq");
  }

  @Override
  public void deadLetterFailed(Topic topic, Subscription sub) {
    count(topic, "NumberOfNotificationsFailedToRedriveToDlq");
  }

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    return sets.drain(arn -> List.of(new AwsMetricSets.Where(arn.accountId(), arn.region(), Map.of("TopicName", arn.name()))));
  }
}
