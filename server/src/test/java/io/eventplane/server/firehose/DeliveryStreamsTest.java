package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.BufferingHints;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.S3BackupMode;
import software.amazon.awssdk.services.firehose.model.Tag;

/**
 * The delivery-stream calls with the SDK v2 FirehoseClient: what they answer (the members AWS
 * returns, its defaults) and the errors of bad input, with AWS's codes.
 */
class DeliveryStreamsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  static final String ROLE = "arn:aws:iam::000000000000:role/firehose";
  static final String BUCKET_ARN = "arn:aws:s3:::fh-bucket";

  private FirehoseClient firehose() {
    return server.firehose();
  }

  private String createExtended(String name) {
    return firehose().createDeliveryStream(b -> b.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN(BUCKET_ARN))).deliveryStreamARN();
  }

  @Test
  void aCreatedStreamIsDescribedWithAwsDefaults() {
    Instant before = server.clock().instant();
    String arn = createExtended("described");
    assertThat(arn).isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/described");
    DeliveryStreamDescription d = firehose().describeDeliveryStream(b -> b.deliveryStreamName("described")).deliveryStreamDescription();
    assertThat(d.deliveryStreamName()).isEqualTo("described");
    assertThat(d.deliveryStreamARN()).isEqualTo(arn);
    assertThat(d.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
    assertThat(d.deliveryStreamType()).isEqualTo(DeliveryStreamType.DIRECT_PUT);
    assertThat(d.versionId()).isEqualTo("1");
    assertThat(d.createTimestamp()).isEqualTo(before);
    assertThat(d.lastUpdateTimestamp()).isNull();
    assertThat(d.hasMoreDestinations()).isFalse();
    assertThat(d.deliveryStreamEncryptionConfiguration().status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    assertThat(d.destinations()).hasSize(1);
    DestinationDescription dest = d.destinations().get(0);
    assertThat(dest.destinationId()).isEqualTo("destinationId-000000000001");
    ExtendedS3DestinationDescription x = dest.extendedS3DestinationDescription();
    assertThat(x.roleARN()).isEqualTo(ROLE);
    assertThat(x.bucketARN()).isEqualTo(BUCKET_ARN);
    assertThat(x.bufferingHints()).isEqualTo(BufferingHints.builder().sizeInMBs(5).intervalInSeconds(300).build());
    assertThat(x.compressionFormat()).isEqualTo(CompressionFormat.UNCOMPRESSED);
    assertThat(x.encryptionConfiguration().noEncryptionConfigAsString()).isEqualTo("NoEncryption");
    assertThat(x.cloudWatchLoggingOptions().enabled()).isFalse();
    assertThat(x.s3BackupMode()).isEqualTo(S3BackupMode.DISABLED);
    assertThat(dest.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET_ARN);
    assertThat(dest.s3DestinationDescription().bufferingHints()).isEqualTo(x.bufferingHints());
  }

  @Test
  void aPlainS3DestinationKeepsItsSettings() {
    firehose().createDeliveryStream(b -> b.deliveryStreamName("plain").s3DestinationConfiguration(d -> d.roleARN(ROLE)
        .bucketARN(BUCKET_ARN).prefix("logs/").compressionFormat(CompressionFormat.GZIP)
        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));
    DestinationDescription dest = firehose().describeDeliveryStream(b -> b.deliveryStreamName("plain"))
        .deliveryStreamDescription().destinations().get(0);
    assertThat(dest.s3DestinationDescription().prefix()).isEqualTo("logs/");
    assertThat(dest.s3DestinationDescription().compressionFormat()).isEqualTo(CompressionFormat.GZIP);
    assertThat(dest.s3DestinationDescription().bufferingHints()).isEqualTo(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build());
    assertThat(dest.extendedS3DestinationDescription().compressionFormat()).isEqualTo(CompressionFormat.GZIP);
  }

  @Test
  void aNameIsTakenOnce() {
    createExtended("twice");
    assertThatThrownBy(() -> createExtended("twice")).isInstanceOfSatisfying(ResourceInUseException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Firehose twice under accountId 000000000000 already exists");
    });
  }

  @Test
  void unknownStreamsAreNotFound() {
    assertThatThrownBy(() -> firehose().describeDeliveryStream(b -> b.deliveryStreamName("nope")))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Firehose nope under account 000000000000 not found."));
    assertThatThrownBy(() -> firehose().deleteDeliveryStream(b -> b.deliveryStreamName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> firehose().putRecord(b -> b.deliveryStreamName("nope").record(r -> r.data(SdkBytes.fromUtf8String("x")))))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badInputIsAValidationException() {
    assertThatThrownBy(() -> createExtended("bad name!")).isInstanceOfSatisfying(FirehoseException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'bad name!' at 'deliveryStreamName'"
          + " failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    });
    assertThatThrownBy(() -> firehose().createDeliveryStream(b -> b.deliveryStreamName("hints")
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN(BUCKET_ARN).bufferingHints(h -> h.sizeInMBs(129).intervalInSeconds(901)))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
            "2 validation errors detected: Value '129' at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to"
            + " satisfy constraint: Member must have value less than or equal to 128; Value '901' at"
            + " 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds' failed to satisfy constraint: Member must have"
            + " value less than or equal to 900"));
    assertThatThrownBy(() -> firehose().createDeliveryStream(b -> b.deliveryStreamName("norole")
        .extendedS3DestinationConfiguration(d -> d.bucketARN(BUCKET_ARN))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
            "1 validation error detected: Value null at 'extendedS3DestinationConfiguration.roleARN' failed to satisfy constraint:"
            + " Member must not be null"));
  }

  @Test
  void aStreamNeedsOneS3DestinationAndADirectPutSource() {
    assertThatThrownBy(() -> firehose().createDeliveryStream(b -> b.deliveryStreamName("nodest")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> firehose().createDeliveryStream(b -> b.deliveryStreamName("kinesis")
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/s").roleARN(ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN(BUCKET_ARN))))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> firehose().createDeliveryStream(b -> b.deliveryStreamName("exprs")
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("data/!{timestamp:yyyy}/"))))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions."));
    assertThat(firehose().listDeliveryStreams(b -> { }).deliveryStreamNames()).isEmpty();
  }

  @Test
  void listPagesInNameOrder() {
    for (String n : List.of("c-stream", "a-stream", "b-stream")) createExtended(n);
    var first = firehose().listDeliveryStreams(b -> b.limit(2));
    assertThat(first.deliveryStreamNames()).containsExactly("a-stream", "b-stream");
    assertThat(first.hasMoreDeliveryStreams()).isTrue();
    var rest = firehose().listDeliveryStreams(b -> b.limit(2).exclusiveStartDeliveryStreamName("b-stream"));
    assertThat(rest.deliveryStreamNames()).containsExactly("c-stream");
    assertThat(rest.hasMoreDeliveryStreams()).isFalse();
    assertThat(firehose().listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE))
        .deliveryStreamNames()).isEmpty();
    firehose().deleteDeliveryStream(b -> b.deliveryStreamName("b-stream"));
    assertThat(firehose().listDeliveryStreams(b -> { }).deliveryStreamNames()).containsExactly("a-stream", "c-stream");
  }

  @Test
  void updateDestinationChecksTheVersionAndIncrementsIt() {
    createExtended("updated");
    server.advance(java.time.Duration.ofSeconds(10));
    firehose().updateDestination(b -> b.deliveryStreamName("updated").currentDeliveryStreamVersionId("1")
        .destinationId("destinationId-000000000001")
        .extendedS3DestinationUpdate(u -> u.compressionFormat(CompressionFormat.SNAPPY).bufferingHints(h -> h.sizeInMBs(2))));
    DeliveryStreamDescription d = firehose().describeDeliveryStream(b -> b.deliveryStreamName("updated")).deliveryStreamDescription();
    assertThat(d.versionId()).isEqualTo("2");
    assertThat(d.lastUpdateTimestamp()).isEqualTo(server.clock().instant());
    ExtendedS3DestinationDescription x = d.destinations().get(0).extendedS3DestinationDescription();
    assertThat(x.compressionFormat()).isEqualTo(CompressionFormat.SNAPPY);
    assertThat(x.bufferingHints()).isEqualTo(BufferingHints.builder().sizeInMBs(2).intervalInSeconds(300).build());
    assertThat(x.bucketARN()).isEqualTo(BUCKET_ARN);
    assertThatThrownBy(() -> firehose().updateDestination(b -> b.deliveryStreamName("updated").currentDeliveryStreamVersionId("1")
        .destinationId("destinationId-000000000001").extendedS3DestinationUpdate(u -> u.prefix("x/"))))
        .isInstanceOf(ConcurrentModificationException.class);
    assertThatThrownBy(() -> firehose().updateDestination(b -> b.deliveryStreamName("updated").currentDeliveryStreamVersionId("2")
        .destinationId("destinationId-000000000009").extendedS3DestinationUpdate(u -> u.prefix("x/"))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void encryptionIsStored() {
    createExtended("encrypted");
    firehose().startDeliveryStreamEncryption(b -> b.deliveryStreamName("encrypted")
        .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.AWS_OWNED_CMK)));
    var enc = firehose().describeDeliveryStream(b -> b.deliveryStreamName("encrypted")).deliveryStreamDescription()
        .deliveryStreamEncryptionConfiguration();
    assertThat(enc.status()).isEqualTo(DeliveryStreamEncryptionStatus.ENABLED);
    assertThat(enc.keyType()).isEqualTo(KeyType.AWS_OWNED_CMK);
    assertThat(firehose().putRecord(b -> b.deliveryStreamName("encrypted").record(r -> r.data(SdkBytes.fromUtf8String("x"))))
        .encrypted()).isTrue();
    firehose().stopDeliveryStreamEncryption(b -> b.deliveryStreamName("encrypted"));
    assertThat(firehose().describeDeliveryStream(b -> b.deliveryStreamName("encrypted")).deliveryStreamDescription()
        .deliveryStreamEncryptionConfiguration().status()).isEqualTo(DeliveryStreamEncryptionStatus.DISABLED);
    assertThatThrownBy(() -> firehose().startDeliveryStreamEncryption(b -> b.deliveryStreamName("encrypted")
        .deliveryStreamEncryptionConfigurationInput(c -> c.keyType(KeyType.CUSTOMER_MANAGED_CMK))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void tagsAreAddedReplacedListedAndRemoved() {
    firehose().createDeliveryStream(b -> b.deliveryStreamName("tagged").tags(Tag.builder().key("team").value("a").build())
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN(BUCKET_ARN)));
    firehose().tagDeliveryStream(b -> b.deliveryStreamName("tagged").tags(Tag.builder().key("env").value("dev").build(),
        Tag.builder().key("team").value("b").build()));
    var tags = firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged"));
    assertThat(tags.tags()).containsExactly(Tag.builder().key("env").value("dev").build(), Tag.builder().key("team").value("b").build());
    assertThat(tags.hasMoreTags()).isFalse();
    var page = firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged").limit(1));
    assertThat(page.tags()).extracting(Tag::key).containsExactly("env");
    assertThat(page.hasMoreTags()).isTrue();
    assertThat(firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged").exclusiveStartTagKey("env")).tags())
        .extracting(Tag::key).containsExactly("team");
    firehose().untagDeliveryStream(b -> b.deliveryStreamName("tagged").tagKeys("env"));
    assertThat(firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName("tagged")).tags()).extracting(Tag::key).containsExactly("team");
    List<Tag> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) many.add(Tag.builder().key("k" + i).value("v").build());
    assertThatThrownBy(() -> firehose().tagDeliveryStream(b -> b.deliveryStreamName("tagged").tags(many)))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException"));
  }

  @Test
  void putRecordBatchAnswersOneEntryPerRecord() {
    createExtended("batch");
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) records.add(Record.builder().data(SdkBytes.fromUtf8String("r" + i)).build());
    PutRecordBatchResponse r = firehose().putRecordBatch(b -> b.deliveryStreamName("batch").records(records));
    assertThat(r.failedPutCount()).isZero();
    assertThat(r.encrypted()).isFalse();
    assertThat(r.requestResponses()).hasSize(500).allSatisfy(e -> {
      assertThat(e.recordId()).isNotEmpty();
      assertThat(e.errorCode()).isNull();
    });
    assertThat(r.requestResponses().stream().map(e -> e.recordId()).distinct()).hasSize(500);
    records.add(Record.builder().data(SdkBytes.fromUtf8String("one too many")).build());
    assertThatThrownBy(() -> firehose().putRecordBatch(b -> b.deliveryStreamName("batch").records(records)))
        .isInstanceOfSatisfying(FirehoseException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("1 validation error detected: Value '[")
              .endsWith("' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
        });
  }

  @Test
  void recordAndBatchSizesAreLimited() {
    createExtended("sizes");
    byte[] big = new byte[1_024_001];
    assertThatThrownBy(() -> firehose().putRecord(b -> b.deliveryStreamName("sizes").record(r -> r.data(SdkBytes.fromByteArray(big)))))
        .isInstanceOfSatisfying(FirehoseException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    byte[] max = new byte[1_024_000];
    assertThat(firehose().putRecord(b -> b.deliveryStreamName("sizes").record(r -> r.data(SdkBytes.fromByteArray(max)))).recordId())
        .isNotEmpty();
    List<Record> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) five.add(Record.builder().data(SdkBytes.fromByteArray(max)).build());
    assertThatThrownBy(() -> firehose().putRecordBatch(b -> b.deliveryStreamName("sizes").records(five)))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
