package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.partition.Lanes;
import io.eventplane.server.EmbeddedServer;
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

/**
 * The SQS service runs in lanes: queues whose partitions belong to different lanes are served by
 * different threads at the same time. Each lane writes a FINEST record per operation it runs (lane,
 * operation, partition) from the thread that runs it; the test reads those records.
 */
class LanesTest {
  private static final int LANES = 2;
  private static final String LANE_LOGGER = "io.eventplane.broker.queue.QueueLane";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withServiceThreads(LANES));

  /** Held so the logger (and its level) is not collected while the test runs. */
  private final Logger laneLog = Logger.getLogger(LANE_LOGGER);
  private final Map<Integer, Set<Long>> threadsByPartition = new ConcurrentHashMap<>();
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord r) {
      Object[] p = r.getParameters();
      if (p != null && p.length == 3 && "SendMessage".equals(p[1])) {
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
  void queuesOfDifferentLanesAreServedByDifferentThreadsConcurrently() throws Exception {
    String account = EventplaneConfig.defaults().accountId();
    String onLane0 = nameOnLane(account, "lane-a-", 0);
    String onLane1 = nameOnLane(account, "lane-b-", 1);
    int p0 = Queues.partitionOf(account, onLane0);
    int p1 = Queues.partitionOf(account, onLane1);
    String url0 = server.sqs().createQueue(b -> b.queueName(onLane0)).queueUrl();
    String url1 = server.sqs().createQueue(b -> b.queueName(onLane1)).queueUrl();

    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> sends = new ArrayList<>();
      for (String url : List.of(url0, url1, url0, url1)) {
        sends.add(clients.submit(() -> {
          go.await();
          for (int i = 0; i < 25; i++) {
            int n = i;
            server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : sends) f.get(60, TimeUnit.SECONDS);
    } finally {
      clients.shutdownNow();
    }

    assertThat(server.sqs().getQueueAttributes(b -> b.queueUrl(url0).attributeNamesWithStrings("ApproximateNumberOfMessages"))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "50");
    Set<Long> lane0Threads = threadsByPartition.get(p0);
    Set<Long> lane1Threads = threadsByPartition.get(p1);
    assertThat(lane0Threads).as("threads that ran SendMessage on partition %d", p0).isNotEmpty();
    assertThat(lane1Threads).as("threads that ran SendMessage on partition %d", p1).isNotEmpty();
    if (EmbeddedServer.nodes() == 1) {
      // One lane, one context, one thread: a queue's operations never run on two threads.
      assertThat(lane0Threads).hasSize(1);
      assertThat(lane1Threads).hasSize(1);
    }
    assertThat(lane0Threads).doesNotContainAnyElementsOf(lane1Threads);
  }

  /** A queue name whose partition belongs to the given lane. */
  private static String nameOnLane(String account, String prefix, int lane) {
    for (int i = 0; ; i++) {
      String name = prefix + i;
      if (Lanes.of(Queues.partitionOf(account, name), LANES) == lane) return name;
    }
  }
}
