package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Rules that target a Kinesis stream (PutRecord of the event, partition key from
 * {@code KinesisParameters.PartitionKeyPath} or the event id) and a Firehose delivery stream (PutRecord
 * of the event, in the bucket once the buffer's interval passed on the injected clock). LocalStack's
 * recording against AWS (tests/aws/services/events/test_events_targets.snapshot.json, Kinesis and
 * Firehose targets) shows the record's Data as the event JSON and the objects as the events, one after
 * another.
 */
class StreamTargetsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String ROLE = "arn:aws:iam::000000000000:role/events";

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private KinesisClient kinesis() {
    return server.kinesis();
  }

  /** A record as a test sees it: which shard, its partition key, its data. */
  private record Read(String shardId, String partitionKey, String data) {}

  private String createStream(String name, int shards) {
    kinesis().createStream(b -> b.streamName(name).shardCount(shards));
    return kinesis().describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
  }

  /** Every record of the stream, once there are {@code expected}: read from TRIM_HORIZON shard by shard. */
  private List<Read> records(String stream, int expected) {
    List<Read> out = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      out.clear();
      for (Shard shard : kinesis().listShards(b -> b.streamName(stream)).shards()) {
        String iterator = kinesis().getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        kinesis().getRecords(b -> b.shardIterator(iterator)).records().forEach(r ->
            out.add(new Read(shard.shardId(), r.partitionKey(), r.data().asUtf8String())));
      }
      return out.size() >= expected;
    });
    return List.copyOf(out);
  }

  /** The shard whose hash-key range holds MD5(key), as Kinesis places a record. */
  private String shardFor(String stream, String key) throws Exception {
    BigInteger h = new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
    for (Shard s : kinesis().listShards(b -> b.streamName(stream)).shards()) {
      if (h.compareTo(new BigInteger(s.hashKeyRange().startingHashKey())) >= 0
          && h.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0) return s.shardId();
    }
    throw new AssertionError("no shard holds " + h);
  }

  private String queue(String name) {
    return server.sqs().createQueue(b -> b.queueName(name)).queueUrl();
  }

  private String queueArn(String url) {
    return EventQueues.queueArn(server.sqs(), url);
  }

  private String put(String source, String detail) {
    return events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source(source).detailType("reading").detail(detail)
        .build())).entries().get(0).eventId();
  }

  @Test
  void anEventReachesTheStreamAsItsDataUnderThePathsKeyOrItsId() throws Exception {
    String byPath = createStream("eb-by-path", 4);
    String byId = createStream("eb-by-id", 4);
    String copy = queue("eb-stream-copy");
    events().putRule(b -> b.name("to-streams").eventPattern("{\"source\":[\"sensors\"]}"));
    events().putTargets(b -> b.rule("to-streams").targets(
        Target.builder().id("path").arn(byPath).roleArn(ROLE).kinesisParameters(k -> k.partitionKeyPath("$.detail.device")).build(),
        Target.builder().id("id").arn(byId).roleArn(ROLE).build(),
        Target.builder().id("copy").arn(queueArn(copy)).build()));
    assertThat(events().listTargetsByRule(b -> b.rule("to-streams")).targets().get(0).kinesisParameters().partitionKeyPath())
        .isEqualTo("$.detail.device");

    String id = put("sensors", "{\"device\":\"d-42\",\"celsius\":21.5}");

    // The Data is the event JSON exactly as every other target receives it.
    String event = EventQueues.receive(server.sqs(), copy, 1).get(0).body();
    assertThat(new JsonObject(event).getString("id")).isEqualTo(id);
    Read keyed = records("eb-by-path", 1).get(0);
    assertThat(keyed.data()).isEqualTo(event);
    assertThat(keyed.partitionKey()).isEqualTo("d-42");
    assertThat(keyed.shardId()).isEqualTo(shardFor("eb-by-path", "d-42"));
    Read byEventId = records("eb-by-id", 1).get(0);
    assertThat(byEventId.data()).isEqualTo(event);
    assertThat(byEventId.partitionKey()).isEqualTo(id);
    assertThat(byEventId.shardId()).isEqualTo(shardFor("eb-by-id", id));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> records("eb-by-path", 1).size() == 1);
  }

  @Test
  void aTransformedInputIsTheDataAndAPathOfANumberGivesItsText() {
    String stream = createStream("eb-transformed", 1);
    events().putRule(b -> b.name("to-transformed").eventPattern("{\"source\":[\"meters\"]}"));
    events().putTargets(b -> b.rule("to-transformed").targets(Target.builder().id("t").arn(stream).roleArn(ROLE)
        .kinesisParameters(k -> k.partitionKeyPath("$.detail.meter"))
        .inputTransformer(i -> i.inputPathsMap(Map.of("v", "$.detail.value")).inputTemplate("{\"value\": <v>}")).build()));
    put("meters", "{\"meter\":7,\"value\":{\"kwh\":3}}");
    Read r = records("eb-transformed", 1).get(0);
    assertThat(new JsonObject(r.data())).isEqualTo(new JsonObject().put("value", new JsonObject().put("kwh", 3)));
    assertThat(r.partitionKey()).isEqualTo("7");
  }

  @Test
  void anEventReachesTheDeliveryStreamsBucketAfterTheInterval() {
    server.s3().createBucket(b -> b.bucket("eb-firehose"));
    String copy = queue("eb-firehose-copy");
    String deliveryStream = server.firehose().createDeliveryStream(b -> b.deliveryStreamName("eb-delivery")
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN("arn:aws:s3:::eb-firehose")
            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60)))).deliveryStreamARN();
    events().putRule(b -> b.name("to-firehose").eventPattern("{\"source\":[\"orders\"]}"));
    events().putTargets(b -> b.rule("to-firehose").targets(Target.builder().id("fh").arn(deliveryStream).roleArn(ROLE).build(),
        Target.builder().id("copy").arn(queueArn(copy)).build()));

    put("orders", "{\"order\":1}");
    put("orders", "{\"order\":2}");
    List<String> sent = EventQueues.receive(server.sqs(), copy, 2).stream().map(Message::body).toList();
    // Firehose has both records once it answered PutRecord; the object waits for the interval.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> objects("eb-firehose").isEmpty());
    server.advance(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(20)).until(() -> !objects("eb-firehose").isEmpty());
    List<S3Object> all = objects("eb-firehose");
    assertThat(all).hasSize(1);
    String body = server.s3().getObjectAsBytes(b -> b.bucket("eb-firehose").key(all.get(0).key())).asUtf8String();
    // Records are concatenated with nothing between them, in the order Firehose took them.
    assertThat(body).isIn(sent.get(0) + sent.get(1), sent.get(1) + sent.get(0));
  }

  private List<S3Object> objects(String bucket) {
    return server.s3().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  @Test
  void aMissingStreamOrDeliveryStreamDeadLettersAsNoResourceAtOnce() {
    String dlq = queue("eb-stream-dead-letters");
    String stream = "arn:aws:kinesis:us-east-1:000000000000:stream/eb-not-there";
    String deliveryStream = "arn:aws:firehose:us-east-1:000000000000:deliverystream/eb-not-there";
    String ruleArn = events().putRule(b -> b.name("to-nowhere").eventPattern("{\"source\":[\"lost\"]}")).ruleArn();
    events().putTargets(b -> b.rule("to-nowhere").targets(
        Target.builder().id("ks").arn(stream).roleArn(ROLE).deadLetterConfig(d -> d.arn(queueArn(dlq))).build(),
        Target.builder().id("fh").arn(deliveryStream).roleArn(ROLE).deadLetterConfig(d -> d.arn(queueArn(dlq))).build()));
    String id = put("lost", "{}");

    List<Message> dead = EventQueues.receive(server.sqs(), dlq, 2);
    assertThat(dead).extracting(m -> m.messageAttributes().get("TARGET_ARN").stringValue())
        .containsExactlyInAnyOrder(stream, deliveryStream);
    for (Message m : dead) {
      assertThat(new JsonObject(m.body()).getString("id")).isEqualTo(id);
      Map<String, MessageAttributeValue> attrs = m.messageAttributes();
      assertThat(attrs.get("RULE_ARN").stringValue()).isEqualTo(ruleArn);
      assertThat(attrs.get("ERROR_CODE").stringValue()).isEqualTo("NO_RESOURCE");
      assertThat(attrs).doesNotContainKeys("EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS");
    }
    Message fromStream = dead.stream().filter(m -> m.messageAttributes().get("TARGET_ARN").stringValue().equals(stream)).findFirst()
        .orElseThrow();
    assertThat(fromStream.messageAttributes().get("ERROR_MESSAGE").stringValue())
        .isEqualTo("Stream eb-not-there under account 000000000000 not found.");
  }

  @Test
  void aPathThatSelectsNothingDeadLettersAsInvalidParameter() {
    String stream = createStream("eb-keyless", 1);
    String dlq = queue("eb-keyless-dead-letters");
    events().putRule(b -> b.name("to-keyless").eventPattern("{\"source\":[\"keyless\"]}"));
    events().putTargets(b -> b.rule("to-keyless").targets(Target.builder().id("k").arn(stream).roleArn(ROLE)
        .kinesisParameters(k -> k.partitionKeyPath("$.detail.absent")).deadLetterConfig(d -> d.arn(queueArn(dlq))).build()));
    put("keyless", "{\"present\":1}");
    Message m = EventQueues.receive(server.sqs(), dlq, 1).get(0);
    assertThat(m.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("INVALID_PARAMETER");
    assertThat(kinesis().getRecords(b -> b.shardIterator(kinesis().getShardIterator(i -> i.streamName("eb-keyless")
        .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator())).records()).isEmpty();
  }

  @Test
  void putTargetsChecksThePartitionKeyPath() {
    events().putRule(b -> b.name("checked").eventPattern("{\"source\":[\"checked\"]}"));
    String stream = "arn:aws:kinesis:us-east-1:000000000000:stream/eb-checked";
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("checked").targets(Target.builder().id("bad").arn(stream)
        .kinesisParameters(k -> k.partitionKeyPath("detail.device")).build())))
        .isInstanceOfSatisfying(EventBridgeException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("PartitionKeyPath for target bad is invalid.");
        });
    String tooLong = "$." + "a".repeat(255);
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("checked").targets(Target.builder().id("long").arn(stream)
        .kinesisParameters(k -> k.partitionKeyPath(tooLong)).build())))
        .isInstanceOfSatisfying(EventBridgeException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
            "1 validation error detected: Value '" + tooLong + "' at 'targets.1.member.kinesisParameters.partitionKeyPath' failed"
                + " to satisfy constraint: Member must have length less than or equal to 256"));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("checked").targets(Target.builder().id("none").arn(stream)
        .kinesisParameters(k -> { }).build())))
        .isInstanceOfSatisfying(EventBridgeException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
            "1 validation error detected: Value null at 'targets.1.member.kinesisParameters.partitionKeyPath' failed"
                + " to satisfy constraint: Member must not be null"));
    assertThat(events().listTargetsByRule(b -> b.rule("checked")).targets()).isEmpty();
  }

  @Test
  void aCloudTrailEventReachesTheStream() {
    createStream("eb-audit", 1);
    String stream = kinesis().describeStreamSummary(b -> b.streamName("eb-audit")).streamDescriptionSummary().streamARN();
    events().putRule(b -> b.name("audit-to-stream").eventPattern("{\"source\":[\"aws.sqs\"],"
        + "\"detail-type\":[\"AWS API Call via CloudTrail\"],\"detail\":{\"eventName\":[\"CreateQueue\"],"
        + "\"requestParameters\":{\"queueName\":[\"eb-audited\"]}}}"));
    events().putTargets(b -> b.rule("audit-to-stream").targets(Target.builder().id("audit").arn(stream).roleArn(ROLE)
        .kinesisParameters(k -> k.partitionKeyPath("$.detail.eventName")).build()));
    queue("eb-audited");
    Read r = records("eb-audit", 1).get(0);
    assertThat(r.partitionKey()).isEqualTo("CreateQueue");
    JsonObject event = new JsonObject(r.data());
    assertThat(event.getString("detail-type")).isEqualTo("AWS API Call via CloudTrail");
    assertThat(event.getJsonObject("detail").getJsonObject("requestParameters").getString("queueName")).isEqualTo("eb-audited");
  }
}
