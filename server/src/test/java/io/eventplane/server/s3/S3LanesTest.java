package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.partition.Lanes;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.storage.store.ObjectStore;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The S3 service runs in lanes: buckets whose partitions belong to different lanes are served by
 * different threads at the same time, and what one lane needs of another lane's bucket (a copy's
 * source) comes from that lane. Each lane writes a FINEST record per operation it runs (lane,
 * operation, partition) from the thread that runs it; the test reads those records.
 */
class S3LanesTest {
  private static final int LANES = 2;
  private static final String LANE_LOGGER = "io.eventplane.storage.StorageLane";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withServiceThreads(LANES));

  /** Held so the logger (and its level) is not collected while the test runs. */
  private final Logger laneLog = Logger.getLogger(LANE_LOGGER);
  private final Map<Integer, Set<Long>> threadsByPartition = new ConcurrentHashMap<>();
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord r) {
      Object[] p = r.getParameters();
      if (p != null && p.length == 3 && "PutObject".equals(p[1])) {
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
  void bucketsOfDifferentLanesAreServedByDifferentThreadsConcurrently() throws Exception {
    String onLane0 = nameOnLane("lane-a-", 0);
    String onLane1 = nameOnLane("lane-b-", 1);
    server.s3().createBucket(b -> b.bucket(onLane0));
    server.s3().createBucket(b -> b.bucket(onLane1));

    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> puts = new ArrayList<>();
      for (String bucket : List.of(onLane0, onLane1, onLane0, onLane1)) {
        puts.add(clients.submit(() -> {
          go.await();
          for (int i = 0; i < 15; i++) {
            String key = Thread.currentThread().getName() + "-" + i;
            server.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : puts) f.get(120, TimeUnit.SECONDS);
    } finally {
      clients.shutdownNow();
    }

    assertThat(server.s3().listObjectsV2(b -> b.bucket(onLane0)).keyCount()).isEqualTo(30);
    assertThat(server.s3().listObjectsV2(b -> b.bucket(onLane1)).keyCount()).isEqualTo(30);
    int p0 = ObjectStore.partitionOf(onLane0);
    int p1 = ObjectStore.partitionOf(onLane1);
    Set<Long> lane0Threads = threadsByPartition.get(p0);
    Set<Long> lane1Threads = threadsByPartition.get(p1);
    assertThat(lane0Threads).as("threads that ran PutObject on partition %d", p0).isNotEmpty();
    assertThat(lane1Threads).as("threads that ran PutObject on partition %d", p1).isNotEmpty();
    if (EmbeddedServer.nodes() == 1) {
      // One lane, one context, one thread: a bucket's operations never run on two threads.
      assertThat(lane0Threads).hasSize(1);
      assertThat(lane1Threads).hasSize(1);
    }
    assertThat(lane0Threads).doesNotContainAnyElementsOf(lane1Threads);
  }

  /** The source's metadata comes from the lane that owns it; the bytes are the same node's, or fetched from the owner. */
  @Test
  void copiesReadTheirSourceFromTheLaneThatOwnsIt() {
    String source = nameOnLane("copy-src-", 0);
    String target = nameOnLane("copy-dst-", 1);
    server.s3().createBucket(b -> b.bucket(source));
    server.s3().createBucket(b -> b.bucket(target));
    server.s3().putObject(b -> b.bucket(source).key("a.txt"), RequestBody.fromString("from lane 0"));
    server.s3().putObject(b -> b.bucket(target).key("b.txt"), RequestBody.fromString("from lane 1"));

    server.s3().copyObject(b -> b.sourceBucket(source).sourceKey("a.txt").destinationBucket(target).destinationKey("a-copy.txt"));
    assertThat(server.s3().getObjectAsBytes(b -> b.bucket(target).key("a-copy.txt")).asUtf8String()).isEqualTo("from lane 0");

    String upload = server.s3().createMultipartUpload(b -> b.bucket(source).key("joined.txt")).uploadId();
    String etag = server.s3().uploadPartCopy(b -> b.sourceBucket(target).sourceKey("b.txt").destinationBucket(source)
        .destinationKey("joined.txt").uploadId(upload).partNumber(1)).copyPartResult().eTag();
    server.s3().completeMultipartUpload(b -> b.bucket(source).key("joined.txt").uploadId(upload)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
    assertThat(server.s3().getObjectAsBytes(b -> b.bucket(source).key("joined.txt")).asUtf8String()).isEqualTo("from lane 1");

    // A source missing in the other lane's bucket is that lane's answer.
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
        software.amazon.awssdk.services.s3.model.S3Exception.class,
        () -> server.s3().copyObject(b -> b.sourceBucket(source).sourceKey("none").destinationBucket(target).destinationKey("x")))
        .awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
    assertThat(server.s3().listBuckets().buckets()).extracting(Bucket::name).contains(source, target);
  }

  /** A bucket name whose partition belongs to the given lane. */
  private static String nameOnLane(String prefix, int lane) {
    for (int i = 0; ; i++) {
      String name = prefix + i;
      if (Lanes.of(ObjectStore.partitionOf(name), LANES) == lane) return name;
    }
  }
}
