package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * AWS's per-shard throughput limits with {@code --kinesis-shard-limits on}: 1,000 records or 1 MiB
 * a second written, 5 GetRecords calls and 2 MiB a second read, on the service clock (the test
 * holds it still, so the counts are exact, and moves it to refill). The client does not retry, so
 * each throttle reaches the test as the server answered it.
 */
class KinesisShardLimitsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withKinesisShardLimits(true));

  private static final String ACCOUNT = "000000000000";
  private static KinesisClient client;

  private static synchronized KinesisClient kinesis() {
    if (client == null) client = EmbeddedServer.kinesisClient(server.endpoint(), true, false);
    return client;
  }

  @AfterAll
  static void close() {
    if (client != null) client.close();
  }

  private static List<PutRecordsRequestEntry> entries(int n, int bytes) {
    List<PutRecordsRequestEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PutRecordsRequestEntry.builder().partitionKey("k").explicitHashKey("0").data(SdkBytes.fromByteArray(new byte[bytes]))
          .build());
    }
    return out;
  }

  private static String writeMessage(String stream) {
    return "Rate exceeded for shard shardId-000000000000 in stream " + stream + " under account " + ACCOUNT + ".";
  }

  @Test
  void writesOverAThousandRecordsASecondAreRefused() {
    kinesis().createStream(b -> b.streamName("records").shardCount(2));
    for (int i = 0; i < 2; i++) {
      assertThat(kinesis().putRecords(b -> b.streamName("records").records(entries(500, 1))).failedRecordCount()).isZero();
    }
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("records").partitionKey("k").explicitHashKey("0")
        .data(SdkBytes.fromUtf8String("x"))))
        .isInstanceOfSatisfying(ProvisionedThroughputExceededException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(writeMessage("records"));
        });
    PutRecordsResponse refused = kinesis().putRecords(b -> b.streamName("records").records(entries(3, 1)));
    assertThat(refused.failedRecordCount()).isEqualTo(3);
    assertThat(refused.records()).allSatisfy(r -> {
      assertThat(r.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
      assertThat(r.errorMessage()).isEqualTo(writeMessage("records"));
      assertThat(r.sequenceNumber()).isNull();
      assertThat(r.shardId()).isNull();
    });
    // Another shard of the stream has its own second.
    assertThat(kinesis().putRecord(b -> b.streamName("records").partitionKey("k")
        .explicitHashKey("340282366920938463463374607431768211455").data(SdkBytes.fromUtf8String("x"))).shardId())
        .isEqualTo("shardId-000000000001");

    // 5 ms refill 5 records: a batch of 8 has 5 written and 3 refused, in its order.
    server.advance(Duration.ofMillis(5));
    PutRecordsResponse mixed = kinesis().putRecords(b -> b.streamName("records").records(entries(8, 1)));
    assertThat(mixed.failedRecordCount()).isEqualTo(3);
    assertThat(mixed.records()).extracting(PutRecordsResultEntry::errorCode)
        .containsExactly(null, null, null, null, null, "ProvisionedThroughputExceededException",
            "ProvisionedThroughputExceededException", "ProvisionedThroughputExceededException");
    server.advance(Duration.ofSeconds(1));
    assertThat(kinesis().putRecords(b -> b.streamName("records").records(entries(500, 1))).failedRecordCount()).isZero();

    // Refused records were never written: the shard holds exactly the accepted ones.
    String it = kinesis().getShardIterator(b -> b.streamName("records").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(it)).records()).hasSize(1000 + 5 + 500);
  }

  @Test
  void writesOverAMebibyteASecondAreRefused() {
    kinesis().createStream(b -> b.streamName("bytes").shardCount(1));
    // Data plus the one-byte partition key: ten of these fit in 1 MiB, an eleventh does not.
    PutRecordsResponse r = kinesis().putRecords(b -> b.streamName("bytes").records(entries(11, 100 * 1024)));
    assertThat(r.failedRecordCount()).isEqualTo(1);
    assertThat(r.records().get(10).errorMessage()).isEqualTo(writeMessage("bytes"));
    server.advance(Duration.ofMillis(500));
    assertThat(kinesis().putRecords(b -> b.streamName("bytes").records(entries(5, 100 * 1024))).failedRecordCount()).isZero();
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("bytes").partitionKey("k")
        .data(SdkBytes.fromByteArray(new byte[100 * 1024])))).isInstanceOf(ProvisionedThroughputExceededException.class);
  }

  @Test
  void readsOverFiveCallsOrTwoMebibytesASecondAreRefused() {
    kinesis().createStream(b -> b.streamName("reads").shardCount(1));
    String it = kinesis().getShardIterator(b -> b.streamName("reads").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    for (int i = 0; i < 5; i++) assertThat(kinesis().getRecords(b -> b.shardIterator(it)).records()).isEmpty();
    String readMessage = "Rate exceeded for Shard - " + ACCOUNT + "/reads/shardId-000000000000";
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(it)))
        .isInstanceOfSatisfying(ProvisionedThroughputExceededException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(readMessage));
    server.advance(Duration.ofMillis(200));
    assertThat(kinesis().getRecords(b -> b.shardIterator(it)).records()).isEmpty();

    // Three records of 1 MiB less a byte, a second apart (the write limit), read in one call: almost 1 MiB of
    // debt, repaid at 2 MiB a second.
    for (int i = 0; i < 3; i++) {
      server.advance(Duration.ofSeconds(1));
      kinesis().putRecord(b -> b.streamName("reads").partitionKey("k").data(SdkBytes.fromByteArray(new byte[1024 * 1024 - 1])));
    }
    server.advance(Duration.ofSeconds(1));
    GetRecordsResponse big = kinesis().getRecords(b -> b.shardIterator(it));
    assertThat(big.records()).hasSize(3);
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(big.nextShardIterator())))
        .isInstanceOf(ProvisionedThroughputExceededException.class);
    server.advance(Duration.ofMillis(400));
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(big.nextShardIterator())))
        .isInstanceOf(ProvisionedThroughputExceededException.class);
    server.advance(Duration.ofMillis(100));
    assertThat(kinesis().getRecords(b -> b.shardIterator(big.nextShardIterator())).records()).isEmpty();
  }
}
