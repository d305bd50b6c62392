package io.eventplane.broker.topic.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTest {
  private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:t";

  @Test
  void onlyTheLatestUnsubscribedSubscriptionsAreKeptRestorable() {
    Topic topic = new Topic(TopicArn.parse(TOPIC), 0, Map.of(), Map.of(), Map.of(), 0);
    for (int i = 0; i < Topic.DEACTIVATED_KEPT + 5; i++) topic.deactivate(subscription(i));
    assertThat(topic.deactivated()).hasSize(Topic.DEACTIVATED_KEPT);
    assertThat(topic.deactivated()).doesNotContainKey(TOPIC + ":4").containsKey(TOPIC + ":5");
    // Deactivated again, a subscription becomes the latest.
    topic.deactivate(subscription(5));
    topic.deactivate(subscription(1_000));
    assertThat(topic.deactivated()).containsKey(TOPIC + ":5").doesNotContainKey(TOPIC + ":6");
  }

  private static Subscription subscription(int i) {
    return new Subscription(TOPIC + ":" + i, TOPIC, "http", "http://127.0.0.1/" + i, "000000000000", Map.of(), "t" + i,
        true, false);
  }
}
