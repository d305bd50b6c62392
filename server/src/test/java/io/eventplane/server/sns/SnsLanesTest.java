package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.partition.Lanes;
import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SNS service runs in lanes: topics whose partitions belong to different lanes are served by
 * different threads at the same time, and their deliveries run there too (the lanes' state
 * asserts, under -ea, that only its own thread touches it). Each lane writes a FINEST record per
 * operation it runs (lane, operation, partition) from the thread that runs it; the test reads them.
 */
class SnsLanesTest {
  private static final int LANES = 2;
  private static final String LANE_LOGGER = "io.eventplane.broker.topic.TopicLane";
  private static final int PUBLISHES_PER_CLIENT = 25;

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withServiceThreads(LANES));

  /** Held so the logger (and its level) is not collected while the test runs. */
  private final Logger laneLog = Logger.getLogger(LANE_LOGGER);
  private final Map<Integer, Set<Long>> threadsByPartition = new ConcurrentHashMap<>();
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord r) {
      Object[] p = r.getParameters();
      if (p != null && p.length == 3 && "Publish".equals(p[1])) {
        threadsByPartition.computeIfAbsent((Integer) p[2], k -> ConcurrentHashMap.newKeySet()).add(r.getLongThreadID());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level levelBefore;

  @BeforeEach
  void record() {
    levelBefore = laneLog.getLevel();
    laneLog.setLevel(Level.FINEST);
    laneLog.addHandler(recorder);
  }

  @AfterEach
  void stopRecording() {
    laneLog.removeHandler(recorder);
    laneLog.setLevel(levelBefore);
  }

  @Test
  void topicsOfDifferentLanesAreServedByDifferentThreadsConcurrently() throws Exception {
    String account = EventplaneConfig.defaults().accountId();
    String onLane0 = nameOnLane(account, "lane-a-", 0);
    String onLane1 = nameOnLane(account, "lane-b-", 1);
    int p0 = Topics.partitionOf(account, onLane0);
    int p1 = Topics.partitionOf(account, onLane1);
    String topic0 = server.sns().createTopic(b -> b.name(onLane0)).topicArn();
    String topic1 = server.sns().createTopic(b -> b.name(onLane1)).topicArn();
    String queueUrl = server.sqs().createQueue(b -> b.queueName("lanes-sink")).queueUrl();
    String queueArn = server.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    for (String topic : List.of(topic0, topic1)) {
      server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn));
    }

    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> publishes = new ArrayList<>();
      for (String topic : List.of(topic0, topic1, topic0, topic1)) {
        publishes.add(clients.submit(() -> {
          go.await();
          for (int i = 0; i < PUBLISHES_PER_CLIENT; i++) {
            int n = i;
            server.sns().publish(b -> b.topicArn(topic).message("m" + n));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : publishes) f.get(60, TimeUnit.SECONDS);
    } finally {
      clients.shutdownNow();
    }

    // Every publish reached the queue through its topic's lane (deliveries run on the lane too).
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        server.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("ApproximateNumberOfMessages"))
            .attributesAsStrings().get("ApproximateNumberOfMessages").equals(Integer.toString(4 * PUBLISHES_PER_CLIENT)));
    // ListTopics gathers from every lane.
    assertThat(server.sns().listTopicsPaginator().topics().stream().map(Topic::topicArn).toList())
        .contains(topic0, topic1);
    Set<Long> lane0Threads = threadsByPartition.get(p0);
    Set<Long> lane1Threads = threadsByPartition.get(p1);
    assertThat(lane0Threads).as("threads that ran Publish on partition %d", p0).isNotEmpty();
    assertThat(lane1Threads).as("threads that ran Publish on partition %d", p1).isNotEmpty();
    if (EmbeddedServer.nodes() == 1) {
      // One lane, one context, one thread: a topic's operations never run on two threads.
      assertThat(lane0Threads).hasSize(1);
      assertThat(lane1Threads).hasSize(1);
    }
    assertThat(lane0Threads).doesNotContainAnyElementsOf(lane1Threads);
  }

  /** A topic name whose partition belongs to the given lane. */
  private static String nameOnLane(String account, String prefix, int lane) {
    for (int i = 0; ; i++) {
      String name = prefix + i;
      if (Lanes.of(Topics.partitionOf(account, name), LANES) == lane) return name;
    }
  }
}
