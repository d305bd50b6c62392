package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SIGKILL of a server that is taking Kinesis puts, {@code --durability fsync}. Six producers (three
 * PutRecord, three PutRecords; half over CBOR, half over JSON; SDK retries off, so an answer is the
 * server's) write to a 4-shard stream, each numbering its records per partition key
 * ({@link KinesisLedger}); the kill comes at a random moment (up to 3 s) after the first 200
 * records are answered. After a restart on the same data directory, every shard read from
 * TRIM_HORIZON has every answered record, under its answered shard and sequence number, once;
 * nothing never sent; each shard in sequence order and each key's numbers in the order they were
 * written; and a new put into each shard gets a sequence number above all the old ones.
 *
 * <p>The same run holds Firehose to its promise that buffered records survive a kill -9 (one JVM
 * start-up for both): two more producers send PutRecordBatch calls (SDK retries off) to a DirectPut
 * delivery stream, GZIP, IntervalInSeconds 0 (an object as soon as records are buffered, so the kill
 * lands among deliveries under way), and a KinesisStreamAsSource delivery stream created before the
 * load reads the stream. After the restart, each bucket ({@link FirehoseLedger}) holds every answered
 * record, exactly once (an object intended before the kill is written again under its own key), in
 * objects that are whole runs of records.
 *
 * <p>And CloudWatch's promise that an acknowledged PutMetricData is stored: one more producer sends
 * PutMetricData calls (SDK retries off, Smithy RPC v2 CBOR) of 20 metrics each, every metric its own
 * (dimension {@code Put}), value 1. After the restart ListMetrics lists every metric of every answered
 * call, and none never sent; each answered metric's Sum is 1 (stored once). Another creates alarms
 * and sets each in ALARM, which notifies a topic: after the restart DescribeAlarms lists every answered
 * alarm, none never sent, each answered SetAlarmState's state and reason, and the queue subscribed to
 * the topic gets every answered change's notification (those the kill interrupted from the outbox).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KinesisKillNineProcessIT {
  private static final String STREAM = "durable-stream";
  private static final int SHARDS = 4;
  private static final int PRODUCERS = 6;
  private static final int ANSWERED_BEFORE_KILL = 200;
  private static final String DIRECT = "durable-direct";
  private static final String DIRECT_BUCKET = "durable-direct-bucket";
  private static final String SOURCED = "durable-sourced";
  private static final String SOURCED_BUCKET = "durable-sourced-bucket";
  private static final int FIREHOSE_PRODUCERS = 2;
  /** How a Kinesis producer's record reads back out of a delivery stream's object (no delimiter between records). */
  private static final Pattern KINESIS_RECORD = Pattern.compile("p\\d+-k\\d+:\\d+:x{100}");
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private static final int METRICS_PER_PUT = 20;

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

    // Delivery streams (interval 0: an object as soon as records are buffered, so the kill finds deliveries under
    // way): one fed by PutRecordBatch, one reading the stream (from its creation on: every record the producers write).
    S3Client s3 = harness.s3(first, true);
    s3.createBucket(b -> b.bucket(DIRECT_BUCKET));
    s3.createBucket(b -> b.bucket(SOURCED_BUCKET));
    FirehoseClient firehose = harness.firehose(first, true);
    FirehoseLedger.createDirectPut(firehose, DIRECT, DIRECT_BUCKET, 0);
    String streamArn = setup.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary().streamARN();
    firehose.createDeliveryStream(b -> b.deliveryStreamName(SOURCED).deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn).roleARN(FirehoseLedger.ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(FirehoseLedger.ROLE).bucketARN("arn:aws:s3:::" + SOURCED_BUCKET)
            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))));

    KinesisLedger ledger = new KinesisLedger(STREAM);
    FirehoseLedger records = new FirehoseLedger();
    KinesisClient cbor = harness.kinesis(first, false, true);
    KinesisClient json = harness.kinesis(first, false, false);
    FirehoseClient batches = harness.firehose(first, false);
    List<KinesisLedger.Producer> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) producers.add(ledger.producer(p, p % 2 == 0 ? cbor : json, p >= PRODUCERS / 2));
    List<FirehoseLedger.Producer> putters = new ArrayList<>();
    for (int p = 0; p < FIREHOSE_PRODUCERS; p++) putters.add(records.producer(p, batches, DIRECT));
    software.amazon.awssdk.services.cloudwatch.CloudWatchClient metrics = harness.cloudWatch(first, false);
    Set<String> metricsAttempted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Set<String> metricsAnswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    long putsFrom = System.currentTimeMillis();
    // The alarms' topic, and a queue subscribed to it: every answered SetAlarmState's notification must reach it,
    // those whose outbox entry the kill left behind after the restart.
    software.amazon.awssdk.services.sns.SnsClient sns = harness.sns(first, true);
    String alarmTopic = sns.createTopic(b -> b.name("alarm-notices")).topicArn();
    software.amazon.awssdk.services.sqs.SqsClient sqs = harness.sqs(first, true);
    String notices = sqs.createQueue(b -> b.queueName("alarm-notices")).queueUrl();
    sns.subscribe(b -> b.topicArn(alarmTopic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:alarm-notices")
        .attributes(Map.of("RawMessageDelivery", "true")));
    Set<String> alarmsAttempted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Set<String> alarmsAnswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Set<String> statesAnswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    harness.load(PRODUCERS + FIREHOSE_PRODUCERS + 2, (thread, n) -> {
      if (thread == PRODUCERS + FIREHOSE_PRODUCERS + 1) {
        // Alarms: each created, then put in ALARM by hand; both answers must survive.
        String name = "kill9-" + n;
        alarmsAttempted.add(name);
        metrics.putMetricAlarm(b -> b.alarmName(name).namespace("Durable").metricName("Kill9").statistic("Sum").period(60)
            .evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanThreshold").alarmActions(alarmTopic));
        alarmsAnswered.add(name);
        metrics.setAlarmState(b -> b.alarmName(name).stateValue("ALARM").stateReason("set " + name));
        statesAnswered.add(name);
      } else if (thread < PRODUCERS) {
        producers.get(thread).put();
      } else if (thread < PRODUCERS + FIREHOSE_PRODUCERS) {
        putters.get(thread - PRODUCERS).put();
      } else {
        List<String> ids = new ArrayList<>();
        List<software.amazon.awssdk.services.cloudwatch.model.MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < METRICS_PER_PUT; i++) {
          String id = n + "-" + i;
          ids.add(id);
          data.add(software.amazon.awssdk.services.cloudwatch.model.MetricDatum.builder().metricName("Kill9")
              .dimensions(d -> d.name("Put").value(id)).value(1.0).build());
        }
        metricsAttempted.addAll(ids);
        metrics.putMetricData(b -> b.namespace("Durable").metricData(data));
        metricsAnswered.addAll(ids);
      }
    });

    // A random moment, once enough is answered to be worth checking.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
        .until(() -> harness.failure() != null
            || ledger.answered() >= ANSWERED_BEFORE_KILL && records.answered() >= ANSWERED_BEFORE_KILL
            && metricsAnswered.size() >= ANSWERED_BEFORE_KILL);
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
    System.out.printf("Kinesis kill -9 %d ms after the load's first %d answers: %d records answered, all read back in "
        + "order (%d read, %d of them unanswered puts; per shard %s)%n",
        delayMillis, ANSWERED_BEFORE_KILL, summary.answered(), summary.read(), summary.unanswered(), summary.perShard());

    // Firehose: every answered record in some object, once (an object cut short by the kill is written again
    // under its key), every object whole. The Kinesis-sourced stream: every answered Kinesis record, once.
    long waitFrom = System.nanoTime();
    S3Client objects = harness.s3(second, true);
    FirehoseLedger.Summary direct = records.check(
        records.awaitDelivered(objects, DIRECT_BUCKET, true, FirehoseLedger.RECORD, DELIVERY), false);
    Set<String> kinesisAnswered = ledger.answeredData();
    FirehoseLedger.Summary sourced = FirehoseLedger.check(FirehoseLedger.awaitDelivered(objects, SOURCED_BUCKET, false,
        KINESIS_RECORD, kinesisAnswered, DELIVERY), kinesisAnswered, ledger.attemptedData(), false);
    System.out.printf("Firehose kill -9: DirectPut %s; KinesisStreamAsSource %s; read back within %d ms; objects the kill "
        + "interrupted, written again after the restart: %d%n", direct, sourced, TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
        - waitFrom), second.ownLog().split(": resuming the object ", -1).length - 1);
    // CloudWatch: every metric of every answered PutMetricData, once.
    Set<String> answeredMetrics = Set.copyOf(metricsAnswered);
    software.amazon.awssdk.services.cloudwatch.CloudWatchClient listing = harness.cloudWatch(second, true);
    Set<String> listed = new java.util.HashSet<>();
    listing.listMetricsPaginator(b -> b.namespace("Durable").metricName("Kill9")).metrics()
        .forEach(m -> listed.add(m.dimensions().get(0).value()));
    assertThat(listed).as("metrics of PutMetricData calls answered before the kill").containsAll(answeredMetrics);
    KillNineHarness.assertNothingUnknown(listed, metricsAttempted, "metrics");
    java.time.Instant from = java.time.Instant.ofEpochMilli(putsFrom - putsFrom % 60_000);
    for (String id : List.copyOf(answeredMetrics).subList(0, 20)) {
      assertThat(listing.getMetricStatistics(b -> b.namespace("Durable").metricName("Kill9").dimensions(d -> d.name("Put").value(id))
          .startTime(from).endTime(java.time.Instant.now().plusSeconds(60)).period(3600)
          .statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.SUM)).datapoints())
          .as("the points of metric %s", id).extracting(software.amazon.awssdk.services.cloudwatch.model.Datapoint::sum)
          .containsExactly(1.0);
    }
    System.out.printf("CloudWatch kill -9: %d metrics answered, %d listed after the restart%n", answeredMetrics.size(), listed.size());
    // CloudWatch alarms: every answered PutMetricAlarm, and the state of every answered SetAlarmState.
    Map<String, software.amazon.awssdk.services.cloudwatch.model.MetricAlarm> alarms = new java.util.HashMap<>();
    listing.describeAlarmsPaginator(b -> b.alarmNamePrefix("kill9-")).metricAlarms().forEach(a -> alarms.put(a.alarmName(), a));
    assertThat(alarms.keySet()).as("alarms answered before the kill").containsAll(alarmsAnswered);
    KillNineHarness.assertNothingUnknown(alarms.keySet(), alarmsAttempted, "alarms");
    // A state set by SetAlarmState lasts only until the alarm's next evaluation (AWS documents it so),
    // and after the restart the alarm may have been evaluated already: the answered change is read back
    // from the alarm's history, which keeps it.
    for (String name : Set.copyOf(statesAnswered)) {
      assertThat(listing.describeAlarmHistory(b -> b.alarmName(name)
              .historyItemType(software.amazon.awssdk.services.cloudwatch.model.HistoryItemType.STATE_UPDATE))
          .alarmHistoryItems())
          .as("the state set on %s, in its history", name)
          .anySatisfy(h -> assertThat(h.historyData()).contains("\"stateReason\":\"set " + name + "\"")
              .contains("\"stateValue\":\"ALARM\""));
    }
    Set<String> notified = new java.util.HashSet<>();
    software.amazon.awssdk.services.sqs.SqsClient inbox = harness.sqs(second, true);
    String noticesUrl = inbox.getQueueUrl(b -> b.queueName("alarm-notices")).queueUrl();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (var m : inbox.receiveMessage(b -> b.queueUrl(noticesUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        notified.add(new io.vertx.core.json.JsonObject(m.body()).getString("AlarmName"));
        inbox.deleteMessage(b -> b.queueUrl(noticesUrl).receiptHandle(m.receiptHandle()));
      }
      return notified.containsAll(statesAnswered);
    });
    KillNineHarness.assertNothingUnknown(notified, alarmsAttempted, "alarm notifications");
    System.out.printf("CloudWatch alarms kill -9: %d created, %d set in ALARM, all kept, each notified%n", alarmsAnswered.size(),
        statesAnswered.size());

    // Last: the new puts would reach the Kinesis-sourced delivery stream too.
    KinesisLedger.assertNewPutsFollow(reader, STREAM, read);
  }
}
