package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeLimitsResponse;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.EnableEnhancedMonitoringResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListTagsForStreamResponse;
import software.amazon.awssdk.services.kinesis.model.MetricsName;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.Tag;

/** Tags, encryption, stream mode, enhanced monitoring and DescribeLimits. */
class KinesisSettingsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/s";

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  @Test
  void tagsByStreamAndByArn() {
    kinesis().createStream(b -> b.streamName("s").shardCount(1).tags(Map.of("created", "yes")));
    kinesis().addTagsToStream(b -> b.streamName("s").tags(Map.of("b", "2", "a", "1")));
    ListTagsForStreamResponse all = kinesis().listTagsForStream(b -> b.streamName("s"));
    assertThat(all.tags()).extracting(Tag::key).containsExactly("a", "b", "created");
    assertThat(all.hasMoreTags()).isFalse();
    ListTagsForStreamResponse page = kinesis().listTagsForStream(b -> b.streamName("s").limit(1).exclusiveStartTagKey("a"));
    assertThat(page.tags()).extracting(Tag::key).containsExactly("b");
    assertThat(page.hasMoreTags()).isTrue();
    kinesis().removeTagsFromStream(b -> b.streamName("s").tagKeys("a"));
    kinesis().tagResource(b -> b.resourceARN(ARN).tags(Map.of("c", "3")));
    kinesis().untagResource(b -> b.resourceARN(ARN).tagKeys("b"));
    assertThat(kinesis().listTagsForResource(b -> b.resourceARN(ARN)).tags()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("c=3", "created=yes");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 49; i++) many.put("k" + i, "v");
    assertThatThrownBy(() -> kinesis().addTagsToStream(b -> b.streamName("s").tags(many)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("Failed to add tags to stream s under account 000000000000 because a given stream cannot have more than 50 tags.");
    assertThatThrownBy(() -> kinesis().listTagsForResource(b -> b.resourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/none")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void encryptionIsStoredAndShown() {
    kinesis().createStream(b -> b.streamName("s").shardCount(1));
    kinesis().startStreamEncryption(b -> b.streamName("s").encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
    var d = kinesis().describeStream(b -> b.streamName("s")).streamDescription();
    assertThat(d.encryptionType()).isEqualTo(EncryptionType.KMS);
    assertThat(d.keyId()).isEqualTo("alias/aws/kinesis");
    var put = kinesis().putRecord(b -> b.streamName("s").partitionKey("k").data(SdkBytes.fromUtf8String("secret")));
    assertThat(put.encryptionType()).isEqualTo(EncryptionType.KMS);
    String it = kinesis().getShardIterator(b -> b.streamName("s").shardId(put.shardId())
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(it)).records().get(0).encryptionType()).isEqualTo(EncryptionType.KMS);
    kinesis().stopStreamEncryption(b -> b.streamName("s").encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
    var summary = kinesis().describeStreamSummary(b -> b.streamName("s")).streamDescriptionSummary();
    assertThat(summary.encryptionType()).isEqualTo(EncryptionType.NONE);
    assertThat(summary.keyId()).isNull();
    assertThatThrownBy(() -> kinesis().startStreamEncryption(b -> b.streamName("s").encryptionType(EncryptionType.KMS)))
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void streamModeChanges() {
    kinesis().createStream(b -> b.streamName("s").shardCount(2));
    kinesis().updateStreamMode(b -> b.streamARN(ARN).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
    assertThat(kinesis().describeStreamSummary(b -> b.streamName("s")).streamDescriptionSummary().streamModeDetails().streamMode())
        .isEqualTo(StreamMode.ON_DEMAND);
    assertThat(kinesis().listStreams().streamSummaries().get(0).streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);
    assertThatThrownBy(() -> kinesis().updateStreamMode(b -> b.streamARN("arn:aws:kinesis:us-east-1:000000000000:stream/x")
        .streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED)))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void enhancedMonitoringIsStored() {
    kinesis().createStream(b -> b.streamName("s").shardCount(1));
    EnableEnhancedMonitoringResponse on = kinesis().enableEnhancedMonitoring(b -> b.streamName("s")
        .shardLevelMetrics(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS));
    assertThat(on.currentShardLevelMetrics()).isEmpty();
    assertThat(on.desiredShardLevelMetrics()).containsExactlyInAnyOrder(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS);
    assertThat(kinesis().describeStream(b -> b.streamName("s")).streamDescription().enhancedMonitoring().get(0).shardLevelMetrics())
        .containsExactlyInAnyOrder(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS);
    var off = kinesis().disableEnhancedMonitoring(b -> b.streamName("s").shardLevelMetrics(MetricsName.ALL));
    assertThat(off.desiredShardLevelMetrics()).isEmpty();
  }

  @Test
  void describeLimitsCountsOpenShards() {
    kinesis().createStream(b -> b.streamName("s").shardCount(3));
    kinesis().createStream(b -> b.streamName("od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
    DescribeLimitsResponse limits = kinesis().describeLimits(b -> { });
    assertThat(limits.shardLimit()).isEqualTo(500);
    assertThat(limits.openShardCount()).isEqualTo(7);
    assertThat(limits.onDemandStreamCount()).isEqualTo(1);
    assertThat(limits.onDemandStreamCountLimit()).isEqualTo(50);
  }
}
