package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The Lambda service runs in lanes: functions whose partitions belong to different lanes are
 * served by different threads at the same time. Each lane writes a FINEST record per operation it
 * runs (lane, operation, partition) from the thread that runs it; the test reads those records.
 */
class FunctionLanesTest {
  private static final int LANES = 2;
  private static final String LANE_LOGGER = "io.eventplane.functions.FunctionLane";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withServiceThreads(LANES));

  /** Held so the logger (and its level) is not collected while the test runs. */
  private final Logger laneLog = Logger.getLogger(LANE_LOGGER);
  private final Map<Integer, Set<Long>> threadsByPartition = new ConcurrentHashMap<>();
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord r) {
      Object[] p = r.getParameters();
      if (p != null && p.length == 3 && "GetFunctionConfiguration".equals(p[1])) {
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
  void functionsOfDifferentLanesAreServedByDifferentThreadsConcurrently() throws Exception {
    String account = EventplaneConfig.defaults().accountId();
    String onLane0 = nameOnLane(account, "lane-a-", 0);
    String onLane1 = nameOnLane(account, "lane-b-", 1);
    int p0 = partitionOf(account, onLane0);
    int p1 = partitionOf(account, onLane1);
    Functions.create(server.lambda(), onLane0, Functions.DIAGNOSTICS);
    Functions.create(server.lambda(), onLane1, Functions.DIAGNOSTICS);

    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> reads = new ArrayList<>();
      for (String name : List.of(onLane0, onLane1, onLane0, onLane1)) {
        reads.add(clients.submit(() -> {
          go.await();
          for (int i = 0; i < 25; i++) {
            assertThat(server.lambda().getFunctionConfiguration(b -> b.functionName(name)).functionName()).isEqualTo(name);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : reads) f.get(60, TimeUnit.SECONDS);
    } finally {
      clients.shutdownNow();
    }

    Set<Long> lane0Threads = threadsByPartition.get(p0);
    Set<Long> lane1Threads = threadsByPartition.get(p1);
    assertThat(lane0Threads).as("threads that ran GetFunctionConfiguration on partition %d", p0).isNotEmpty();
    assertThat(lane1Threads).as("threads that ran GetFunctionConfiguration on partition %d", p1).isNotEmpty();
    if (EmbeddedServer.nodes() == 1) {
      // One lane, one context, one thread: a function's operations never run on two threads.
      assertThat(lane0Threads).hasSize(1);
      assertThat(lane1Threads).hasSize(1);
    }
    assertThat(lane0Threads).doesNotContainAnyElementsOf(lane1Threads);
    // Node-wide operations gather from every lane.
    assertThat(server.lambda().listFunctions().functions()).extracting(f -> f.functionName()).contains(onLane0, onLane1);
  }

  /** A function name whose partition belongs to the given lane. */
  private static String nameOnLane(String account, String prefix, int lane) {
    for (int i = 0; ; i++) {
      String name = prefix + i;
      if (Lanes.of(partitionOf(account, name), LANES) == lane) return name;
    }
  }

  private static int partitionOf(String account, String name) {
    return io.eventplane.functions.domain.Functions.partitionOf(account, name);
  }
}
