package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** PutRecord(s), GetShardIterator and GetRecords with the SDK v2 (over JSON). */
class KinesisRecordsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static SdkBytes bytes(String s) {
    return SdkBytes.fromUtf8String(s);
  }

  private static String iterator(String stream, String shard, ShardIteratorType type) {
    return kinesis().getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(type)).shardIterator();
  }

  private static int expectedShard(String key, List<Shard> shards) throws Exception {
    BigInteger h = new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
    for (int i = 0; i < shards.size(); i++) {
      Shard s = shards.get(i);
      if (h.compareTo(new BigInteger(s.hashKeyRange().startingHashKey())) >= 0
          && h.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0) return i;
    }
    throw new AssertionError("no shard for " + key);
  }

  @Test
  void recordsGoToTheShardOfTheirKeyAndReadBackInOrder() throws Exception {
    kinesis().createStream(b -> b.streamName("rw").shardCount(4));
    List<Shard> shards = kinesis().listShards(b -> b.streamName("rw")).shards();
    List<PutRecordResponse> puts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "key-" + i;
      int n = i;
      PutRecordResponse r = kinesis().putRecord(b -> b.streamName("rw").partitionKey(key).data(bytes("record " + n)));
      assertThat(r.shardId()).isEqualTo(shards.get(expectedShard(key, shards)).shardId());
      assertThat(r.sequenceNumber()).hasSize(56).containsOnlyDigits();
      assertThat(r.encryptionTypeAsString()).isEqualTo("NONE");
      puts.add(r);
    }
    int total = 0;
    for (Shard s : shards) {
      GetRecordsResponse got = kinesis().getRecords(b -> b.shardIterator(iterator("rw", s.shardId(), ShardIteratorType.TRIM_HORIZON)));
      List<String> expected = puts.stream().filter(p -> p.shardId().equals(s.shardId())).map(PutRecordResponse::sequenceNumber).toList();
      assertThat(got.records()).extracting(Record::sequenceNumber).containsExactlyElementsOf(expected);
      assertThat(got.millisBehindLatest()).isZero();
      assertThat(got.nextShardIterator()).isNotNull();
      for (Record r : got.records()) {
        assertThat(r.data().asUtf8String()).startsWith("record ");
        assertThat(r.approximateArrivalTimestamp()).isNotNull();
      }
      total += got.records().size();
    }
    assertThat(total).isEqualTo(20);
  }

  @Test
  void explicitHashKeyChoosesTheShard() {
    kinesis().createStream(b -> b.streamName("ehk").shardCount(4));
    PutRecordResponse r = kinesis().putRecord(b -> b.streamName("ehk").partitionKey("any")
        .explicitHashKey("340282366920938463463374607431768211455").data(bytes("x")));
    assertThat(r.shardId()).isEqualTo("shardId-000000000003");
    PutRecordResponse first = kinesis().putRecord(b -> b.streamName("ehk").partitionKey("any").explicitHashKey("0").data(bytes("x")));
    assertThat(first.shardId()).isEqualTo("shardId-000000000000");
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("ehk").partitionKey("any")
        .explicitHashKey("340282366920938463463374607431768211456").data(bytes("x"))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Invalid ExplicitHashKey.");
  }

  @Test
  void sequenceNumbersGrowPerShardAndIteratorsFollowThem() {
    kinesis().createStream(b -> b.streamName("seq").shardCount(1));
    List<String> seqs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      seqs.add(kinesis().putRecord(b -> b.streamName("seq").partitionKey("k").data(bytes("r" + n))).sequenceNumber());
    }
    for (int i = 1; i < seqs.size(); i++) assertThat(new BigInteger(seqs.get(i))).isGreaterThan(new BigInteger(seqs.get(i - 1)));
    String at = kinesis().getShardIterator(b -> b.streamName("seq").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(seqs.get(2))).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(at)).records()).extracting(Record::sequenceNumber)
        .containsExactlyElementsOf(seqs.subList(2, 5));
    String after = kinesis().getShardIterator(b -> b.streamName("seq").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(seqs.get(2))).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(after)).records()).extracting(Record::sequenceNumber)
        .containsExactlyElementsOf(seqs.subList(3, 5));
    String latest = iterator("seq", "shardId-000000000000", ShardIteratorType.LATEST);
    GetRecordsResponse empty = kinesis().getRecords(b -> b.shardIterator(latest));
    assertThat(empty.records()).isEmpty();
    String more = kinesis().putRecord(b -> b.streamName("seq").partitionKey("k").data(bytes("late"))).sequenceNumber();
    assertThat(kinesis().getRecords(b -> b.shardIterator(empty.nextShardIterator())).records())
        .extracting(Record::sequenceNumber).containsExactly(more);
  }

  @Test
  void limitPagesAndMillisBehindLatest() {
    kinesis().createStream(b -> b.streamName("lim").shardCount(1));
    for (int i = 0; i < 5; i++) kinesis().putRecord(b -> b.streamName("lim").partitionKey("k").data(bytes("r")));
    server.advance(java.time.Duration.ofSeconds(3));
    GetRecordsResponse page = kinesis().getRecords(b -> b.shardIterator(iterator("lim", "shardId-000000000000",
        ShardIteratorType.TRIM_HORIZON)).limit(2));
    assertThat(page.records()).hasSize(2);
    assertThat(page.millisBehindLatest()).isEqualTo(3000L);
    GetRecordsResponse rest = kinesis().getRecords(b -> b.shardIterator(page.nextShardIterator()).limit(10));
    assertThat(rest.records()).hasSize(3);
    assertThat(rest.millisBehindLatest()).isZero();
  }

  @Test
  void putRecordsAnswersEachRecordInOrder() {
    kinesis().createStream(b -> b.streamName("batch").shardCount(2));
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey("p" + (i % 7)).data(bytes("v" + i)).build());
    }
    PutRecordsResponse r = kinesis().putRecords(b -> b.streamName("batch").records(entries));
    assertThat(r.failedRecordCount()).isZero();
    assertThat(r.records()).hasSize(500).allSatisfy(e -> {
      assertThat(e.sequenceNumber()).hasSize(56);
      assertThat(e.errorCode()).isNull();
    });
    int read = 0;
    for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
      read += kinesis().getRecords(b -> b.shardIterator(iterator("batch", shard, ShardIteratorType.TRIM_HORIZON))).records().size();
    }
    assertThat(read).isEqualTo(500);
  }

  @Test
  void putRecordsLimits() {
    kinesis().createStream(b -> b.streamName("big").shardCount(1));
    List<PutRecordsRequestEntry> tooMany = new ArrayList<>();
    for (int i = 0; i < 501; i++) tooMany.add(PutRecordsRequestEntry.builder().partitionKey("k").data(bytes("v")).build());
    assertThatThrownBy(() -> kinesis().putRecords(b -> b.streamName("big").records(tooMany)))
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
        .hasMessageContaining("Member must have length less than or equal to 500");
    SdkBytes mib = SdkBytes.fromByteArray(new byte[1024 * 1024]);
    List<PutRecordsRequestEntry> overFiveMib = new ArrayList<>();
    for (int i = 0; i < 6; i++) overFiveMib.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(
        SdkBytes.fromByteArray(new byte[900 * 1024])).build());
    assertThatThrownBy(() -> kinesis().putRecords(b -> b.streamName("big").records(overFiveMib)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Records size exceeds 5 MB limit");
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("big").partitionKey("k").data(mib)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("big").partitionKey("").data(bytes("x"))))
        .hasMessageContaining("Member must have length greater than or equal to 1");
    assertThatThrownBy(() -> kinesis().putRecord(b -> b.streamName("nope").partitionKey("k").data(bytes("x"))))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("Stream nope under account 000000000000 not found.");
  }

  @Test
  void badIterators() {
    kinesis().createStream(b -> b.streamName("it").shardCount(2));
    kinesis().createStream(b -> b.streamName("other").shardCount(1));
    String seq = kinesis().putRecord(b -> b.streamName("other").partitionKey("k").data(bytes("x"))).sequenceNumber();
    assertThatThrownBy(() -> kinesis().getShardIterator(b -> b.streamName("it").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(seq)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("did not come from this stream");
    assertThatThrownBy(() -> kinesis().getShardIterator(b -> b.streamName("it").shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> kinesis().getShardIterator(b -> b.streamName("it").shardId("shardId-000000000009")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("Shard shardId-000000000009 in stream it under account 000000000000 does not exist");
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator("not-an-iterator")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(iterator("it", "shardId-000000000000",
        ShardIteratorType.LATEST)).limit(10001)))
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void iteratorOfADeletedStreamFindsNoStream() {
    kinesis().createStream(b -> b.streamName("del").shardCount(1));
    String it = iterator("del", "shardId-000000000000", ShardIteratorType.TRIM_HORIZON);
    kinesis().deleteStream(b -> b.streamName("del"));
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(it))).isInstanceOf(ResourceNotFoundException.class);
    kinesis().createStream(b -> b.streamName("del").shardCount(1));
    assertThatThrownBy(() -> kinesis().getRecords(b -> b.shardIterator(it))).isInstanceOf(ResourceNotFoundException.class);
  }
}
