package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * SIGKILL of a server that is taking Kinesis puts, {@code --durability fsync}. Six producers (three
 * PutRecord, three PutRecords; half over CBOR, half over JSON; SDK retries off, so an answer is the
 * server's) write to a 4-shard stream, each numbering its records per partition key
 * ({@link KinesisLedger}); the kill comes at a random moment (up to 3 s) after the first 200
 * records are answered. After a restart on the same data directory, every shard read from
 * TRIM_HORIZON has every answered record, under its answered shard and sequence number, once;
 * nothing never sent; each shard in sequence order and each key's numbers in the order they were
 * written; and a new put into each shard gets a sequence number above all the old ones.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KinesisKillNineProcessIT {
  private static final String STREAM = "durable-stream";
  private static final int SHARDS = 4;
  private static final int PRODUCERS = 6;
  private static final int ANSWERED_BEFORE_KILL = 200;

  private KillNineHarness harness;

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-kinesis-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  @Test
  void answeredRecordsSurviveKillNineInShardOrderAndNewPutsFollowThem() throws Exception {
    ServerProcess first = harness.start("first.log");
    KinesisClient setup = harness.kinesis(first, true, true);
    setup.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
    KinesisLedger.awaitActive(setup, STREAM);

    KinesisLedger ledger = new KinesisLedger(STREAM);
    KinesisClient cbor = harness.kinesis(first, false, true);
    KinesisClient json = harness.kinesis(first, false, false);
    List<KinesisLedger.Producer> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) producers.add(ledger.producer(p, p % 2 == 0 ? cbor : json, p >= PRODUCERS / 2));
    harness.load(PRODUCERS, (thread, n) -> producers.get(thread).put());

    // A random moment, once enough is answered to be worth checking.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
        .until(() -> harness.failure() != null || ledger.answered() >= ANSWERED_BEFORE_KILL);
    long delayMillis = ThreadLocalRandom.current().nextLong(0, 3000);
    long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> harness.failure() != null || System.nanoTime() >= killAt);
    harness.killDuringLoad(first);

    ServerProcess second = harness.start("second.log");
    KinesisClient reader = harness.kinesis(second, true, true);
    Map<String, List<KinesisLedger.Read>> read = KinesisLedger.readAll(reader, STREAM);
    assertThat(read).as("shards after the restart").hasSize(SHARDS);
    KinesisLedger.Summary summary = ledger.check(read);
    assertThat(summary.perShard().values()).as("records per shard: the keys spread over every shard").allMatch(n -> n > 0);
    KinesisLedger.assertNewPutsFollow(reader, STREAM, read);
    System.out.printf("Kinesis kill -9 %d ms after the load's first %d answers: %d records answered, all read back in "
        + "order (%d read, %d of them unanswered puts; per shard %s); new puts follow the old ones%n",
        delayMillis, ANSWERED_BEFORE_KILL, summary.answered(), summary.read(), summary.unanswered(), summary.perShard());
  }
}
