package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

/** CreateStream, DescribeStream(Summary), ListStreams, ListShards and DeleteStream with the SDK v2 (over JSON). */
class KinesisStreamsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  @Test
  void createdStreamIsActiveWithEvenHashKeyRanges() {
    kinesis().createStream(b -> b.streamName("orders").shardCount(4));
    kinesis().waiter().waitUntilStreamExists(b -> b.streamName("orders"));
    DescribeStreamResponse d = kinesis().describeStream(b -> b.streamName("orders"));
    assertThat(d.streamDescription().streamStatus()).isEqualTo(StreamStatus.ACTIVE);
    assertThat(d.streamDescription().streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
    assertThat(d.streamDescription().retentionPeriodHours()).isEqualTo(24);
    assertThat(d.streamDescription().hasMoreShards()).isFalse();
    assertThat(d.streamDescription().streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
    List<Shard> shards = d.streamDescription().shards();
    assertThat(shards).extracting(Shard::shardId).containsExactly("shardId-000000000000", "shardId-000000000001",
        "shardId-000000000002", "shardId-000000000003");
    assertThat(shards.get(0).hashKeyRange().startingHashKey()).isEqualTo("0");
    assertThat(shards.get(0).hashKeyRange().endingHashKey()).isEqualTo("85070591730234615865843651857942052863");
    assertThat(shards.get(1).hashKeyRange().startingHashKey()).isEqualTo("85070591730234615865843651857942052864");
    assertThat(shards.get(3).hashKeyRange().endingHashKey()).isEqualTo("340282366920938463463374607431768211455");
    for (Shard s : shards) {
      assertThat(s.sequenceNumberRange().startingSequenceNumber()).hasSize(56).containsOnlyDigits();
      assertThat(s.sequenceNumberRange().endingSequenceNumber()).isNull();
      assertThat(s.parentShardId()).isNull();
    }
  }

  @Test
  void onDemandStreamHasFourShards() {
    kinesis().createStream(b -> b.streamName("od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
    StreamDescriptionSummary s = kinesis().describeStreamSummary(b -> b.streamName("od")).streamDescriptionSummary();
    assertThat(s.openShardCount()).isEqualTo(4);
    assertThat(s.streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);
    assertThat(s.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
    assertThat(s.encryptionTypeAsString()).isEqualTo("NONE");
    assertThat(s.consumerCount()).isZero();
  }

  @Test
  void streamWithoutShardCountIsOnDemand() {
    kinesis().createStream(b -> b.streamName("plain"));
    assertThat(kinesis().listShards(b -> b.streamName("plain")).shards()).hasSize(4);
  }

  @Test
  void duplicateAndUnknownStreams() {
    kinesis().createStream(b -> b.streamName("dup").shardCount(1));
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("dup").shardCount(1)))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageStartingWith("Stream dup under account 000000000000 already exists.");
    assertThatThrownBy(() -> kinesis().describeStream(b -> b.streamName("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("Stream nope under account 000000000000 not found.");
    assertThatThrownBy(() -> kinesis().deleteStream(b -> b.streamName("nope"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badCreateInputs() {
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("bad name").shardCount(1)))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
        .hasMessageStartingWith("1 validation error detected: Value 'bad name' at 'streamName' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("zero").shardCount(0)))
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("x".repeat(129)).shardCount(1)))
        .hasMessageContaining("Member must have length less than or equal to 128");
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("both").shardCount(2)
        .streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)))).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> kinesis().createStream(b -> b.streamName("many").shardCount(501)))
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("LimitExceededException"));
  }

  @Test
  void streamArnNamesTheStream() {
    kinesis().createStream(b -> b.streamName("byarn").shardCount(1));
    String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/byarn";
    assertThat(kinesis().describeStreamSummary(b -> b.streamARN(arn)).streamDescriptionSummary().streamName()).isEqualTo("byarn");
    assertThatThrownBy(() -> kinesis().describeStreamSummary(b -> b.streamARN("arn:aws:kinesis:us-east-1:111111111111:stream/byarn")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageStartingWith("Stream byarn under account 111111111111 not found.");
  }

  @Test
  void listStreamsPagesInNameOrder() {
    for (String n : List.of("c", "a", "b", "e", "d")) kinesis().createStream(b -> b.streamName(n).shardCount(1));
    ListStreamsResponse first = kinesis().listStreams(b -> b.limit(2));
    assertThat(first.streamNames()).containsExactly("a", "b");
    assertThat(first.hasMoreStreams()).isTrue();
    assertThat(first.streamSummaries()).extracting(s -> s.streamARN())
        .containsExactly("arn:aws:kinesis:us-east-1:000000000000:stream/a", "arn:aws:kinesis:us-east-1:000000000000:stream/b");
    ListStreamsResponse next = kinesis().listStreams(b -> b.nextToken(first.nextToken()).limit(2));
    assertThat(next.streamNames()).containsExactly("c", "d");
    ListStreamsResponse last = kinesis().listStreams(b -> b.exclusiveStartStreamName("d"));
    assertThat(last.streamNames()).containsExactly("e");
    assertThat(last.hasMoreStreams()).isFalse();
    assertThat(last.nextToken()).isNull();
  }

  @Test
  void describeStreamPagesShards() {
    kinesis().createStream(b -> b.streamName("paged").shardCount(5));
    var first = kinesis().describeStream(b -> b.streamName("paged").limit(2)).streamDescription();
    assertThat(first.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000000", "shardId-000000000001");
    assertThat(first.hasMoreShards()).isTrue();
    var rest = kinesis().describeStream(b -> b.streamName("paged").exclusiveStartShardId("shardId-000000000001"))
        .streamDescription();
    assertThat(rest.shards()).hasSize(3);
    assertThat(rest.hasMoreShards()).isFalse();
  }

  @Test
  void listShardsPagesAndFilters() {
    kinesis().createStream(b -> b.streamName("ls").shardCount(3));
    ListShardsResponse first = kinesis().listShards(b -> b.streamName("ls").maxResults(2));
    assertThat(first.shards()).hasSize(2);
    assertThat(first.nextToken()).isNotNull();
    ListShardsResponse rest = kinesis().listShards(b -> b.nextToken(first.nextToken()));
    assertThat(rest.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000002");
    assertThat(rest.nextToken()).isNull();
    assertThat(kinesis().listShards(b -> b.streamName("ls").exclusiveStartShardId("shardId-000000000000")).shards())
        .hasSize(2);
    for (ShardFilterType t : List.of(ShardFilterType.AT_LATEST, ShardFilterType.AT_TRIM_HORIZON, ShardFilterType.FROM_TRIM_HORIZON)) {
      assertThat(kinesis().listShards(b -> b.streamName("ls").shardFilter(f -> f.type(t))).shards()).hasSize(3);
    }
    assertThat(kinesis().listShards(b -> b.streamName("ls")
        .shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID).shardId("shardId-000000000001"))).shards()).hasSize(1);
    assertThat(kinesis().listShards(b -> b.streamName("ls")
        .shardFilter(f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(server.clock().instant()))).shards()).hasSize(3);
    assertThatThrownBy(() -> kinesis().listShards(b -> b.streamName("ls").nextToken(first.nextToken())))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("NextToken and StreamName cannot be provided together.");
    assertThatThrownBy(() -> kinesis().listShards(b -> b.streamName("ls").shardFilter(f -> f.type(ShardFilterType.AT_TIMESTAMP))))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> kinesis().listShards(b -> b.streamName("nope"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletedStreamIsGoneAndItsNameFree() {
    kinesis().createStream(b -> b.streamName("gone").shardCount(1));
    kinesis().deleteStream(b -> b.streamName("gone").enforceConsumerDeletion(true));
    kinesis().waiter().waitUntilStreamNotExists(b -> b.streamName("gone"));
    assertThat(kinesis().listStreams().streamNames()).doesNotContain("gone");
    kinesis().createStream(b -> b.streamName("gone").shardCount(2));
    assertThat(kinesis().listShards(b -> b.streamName("gone")).shards()).hasSize(2);
  }
}
