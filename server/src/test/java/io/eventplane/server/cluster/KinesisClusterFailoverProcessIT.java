package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.durability.FirehoseLedger;
import io.eventplane.server.durability.KinesisLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three server JVMs, {@code --durability fsync}; a 4-shard stream; four producers (two PutRecord,
 * two PutRecords, CBOR and JSON, SDK retries off so that an answer is one attempt's) writing
 * through a node that does not own the stream, each numbering its records per partition key
 * ({@link KinesisLedger}); SIGKILL of the stream's owner while they write. The producers go on
 * through the failover (a put that fails promised nothing) until as many records again are
 * answered, and no put fails with a client error (ResourceNotFoundException while the new owner
 * loads the stream was one); then every shard, read through each surviving node, has every
 * answered record under its answered shard and sequence number, once, in sequence order, each
 * key's numbers in the order written.
 *
 * <p>Firehose in the same cluster: a DirectPut delivery stream (GZIP, IntervalInSeconds 0) in a
 * region whose delivery-stream partition the same node owns, so the one SIGKILL takes both; two
 * producers send PutRecordBatch calls through the writer node throughout. No put fails with a 4xx,
 * and the survivors deliver every answered record in whole objects ({@link FirehoseLedger}); a put
 * the dead owner committed but never answered may be tried again by the router and so be delivered
 * twice (at least once always), and those duplicates are counted and printed.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class KinesisClusterFailoverProcessIT {
  private static final String STREAM = "failover-stream";
  private static final int SHARDS = 4;
  private static final int PRODUCERS = 4;
  private static final int ANSWERED_BEFORE_KILL = 300;
  private static final String DELIVERY_STREAM = "failover-delivery";
  private static final String BUCKET = "failover-delivery-bucket";
  private static final int FIREHOSE_PRODUCERS = 2;
  private static final int FIREHOSE_ANSWERED_BEFORE_KILL = 200;
  /**
   * Regions to try for the delivery stream: an account's and region's delivery streams share one
   * partition, and the test wants the one whose owner is the stream's (both die in one kill).
   */
  private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
      "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "ap-south-1",
      "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1",
      "ap-northeast-2", "ap-northeast-3", "ap-east-1", "sa-east-1", "ca-central-1", "ca-west-1", "me-south-1",
      "me-central-1", "af-south-1", "il-central-1");

  @Test
  void answeredRecordsSurviveTheStreamOwnersDeathInOrderAndPutsGoOn() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(3, List.of("--durability", "fsync"))) {
      int owner = nodes.ownerOf("kinesis", "us-east-1/" + STREAM, 0);
      int writer = (owner + 1) % 3;
      int other = (owner + 2) % 3;
      List<KinesisClient> clients = new ArrayList<>();
      KinesisClient setup = nodes.kinesisClient(writer, true, true);
      clients.add(setup);
      setup.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
      KinesisLedger.awaitActive(setup, STREAM);

      // A DirectPut delivery stream in the same node's keeping (interval 0: objects as records come).
      String region = null;
      for (String r : REGIONS) {
        if (nodes.ownerOf("firehose", r, writer) == owner) {
          region = r;
          break;
        }
      }
      assertThat(region).as("a region whose delivery streams n%d owns", owner).isNotNull();
      Region firehoseRegion = Region.of(region);
      S3Client s3 = nodes.s3Client(writer);
      s3.createBucket(b -> b.bucket(BUCKET));
      FirehoseClient firehoseSetup = nodes.firehoseClient(writer, firehoseRegion, true);
      FirehoseLedger.createDirectPut(firehoseSetup, DELIVERY_STREAM, BUCKET, 0);
      FirehoseLedger records = new FirehoseLedger();

      KinesisLedger ledger = new KinesisLedger(STREAM);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failed = new AtomicInteger();
      Map<String, Integer> failures = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + FIREHOSE_PRODUCERS);
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        KinesisClient client = nodes.kinesisClient(writer, false, p % 2 == 0);
        clients.add(client);
        KinesisLedger.Producer producer = ledger.producer(p, client, p >= PRODUCERS / 2);
        work.add(pool.submit(() -> putUntil(stop, producer::put, "", failed, failures)));
      }
      List<FirehoseClient> firehoseClients = new ArrayList<>(List.of(firehoseSetup));
      for (int p = 0; p < FIREHOSE_PRODUCERS; p++) {
        FirehoseClient client = nodes.firehoseClient(writer, firehoseRegion, false);
        firehoseClients.add(client);
        FirehoseLedger.Producer producer = records.producer(p, client, DELIVERY_STREAM);
        work.add(pool.submit(() -> putUntil(stop, producer::put, "Firehose ", failed, failures)));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> ledger.answered() >= ANSWERED_BEFORE_KILL
          && records.answered() >= FIREHOSE_ANSWERED_BEFORE_KILL);
      int before = ledger.answered();
      int firehoseBefore = records.answered();
      assertThat(nodes.node(owner).kill()).as("exit status of the SIGKILLed owner").isEqualTo(137);
      long killedAt = System.nanoTime();
      await("puts answered after the owner's death").atMost(Duration.ofSeconds(120))
          .until(() -> ledger.answered() >= before + ANSWERED_BEFORE_KILL
              && records.answered() >= firehoseBefore + FIREHOSE_ANSWERED_BEFORE_KILL);
      long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("producers stopped").isTrue();
      for (Future<?> f : work) f.get();
      System.out.println("Kinesis failover: failed puts by kind: " + failures);
      // A failover may cost a put an error a client retries (5xx, no answer), never a client error:
      // a stream that exists is never "not found".
      assertThat(failures.keySet()).as("failed puts by kind").noneMatch(kind -> kind.startsWith("4") || kind.startsWith("Firehose 4"));

      // Every answered PutRecordBatch record delivered by the survivors, in whole objects; a put the dead owner
      // committed but did not answer may be tried again by the router (at least once), so duplicates are counted.
      long waitFrom = System.nanoTime();
      FirehoseLedger.Summary delivered = records.check(
          records.awaitDelivered(s3, BUCKET, true, FirehoseLedger.RECORD, Duration.ofSeconds(60)), true);
      System.out.printf("Firehose failover: delivery stream in %s (owned by n%d) killed after %d answered records; %s "
          + "(read back within %d ms of the producers' stop)%n", region, owner, firehoseBefore, delivered,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitFrom));

      Map<String, List<KinesisLedger.Read>> first = null;
      for (int via : List.of(writer, other)) {
        KinesisClient reader = nodes.kinesisClient(via, true, true);
        clients.add(reader);
        Map<String, List<KinesisLedger.Read>> read = KinesisLedger.readAll(reader, STREAM);
        assertThat(read).as("shards read through n%d", via).hasSize(SHARDS);
        KinesisLedger.Summary summary = ledger.check(read);
        if (first == null) {
          first = read;
          System.out.printf("Kinesis failover: n%d (the owner) killed after %d answered records; %d answered in all "
              + "within %d ms of the kill, %d puts failed; read through n%d and n%d: %d records (%d of unanswered "
              + "puts), per shard %s%n", owner, before, summary.answered(), resumedMillis, failed.get(), writer, other,
              summary.read(), summary.unanswered(), summary.perShard());
        } else {
          assertThat(read).as("the stream through n%d and through n%d", writer, via).isEqualTo(first);
        }
      }
      KinesisClient json = nodes.kinesisClient(other, true, false);
      clients.add(json);
      KinesisLedger.assertNewPutsFollow(json, STREAM, first);
      for (KinesisClient c : clients) c.close();
      for (FirehoseClient c : firehoseClients) c.close();
      s3.close();
    }
  }

  /** Puts until {@code stop}; a put that fails is counted by kind ({@code kind} first), since an unanswered put promised nothing. */
  private static void putUntil(AtomicBoolean stop, Runnable put, String kind, AtomicInteger failed, Map<String, Integer> failures) {
    while (!stop.get()) {
      try {
        put.run();
      } catch (RuntimeException e) {
        // Unanswered: its records may or may not be there.
        failed.incrementAndGet();
        failures.merge(kind + describe(e), 1, Integer::sum);
      }
    }
  }

  /** A failed call as a client sees it: the exception's type, and the status and error code of an answer. */
  private static String describe(RuntimeException e) {
    if (e instanceof AwsServiceException a) return a.statusCode() + " " + a.awsErrorDetails().errorCode();
    return e.getClass().getSimpleName();
  }
}
