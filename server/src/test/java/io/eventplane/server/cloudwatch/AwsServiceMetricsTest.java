package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS/SNS, AWS/Events, AWS/Lambda, AWS/Kinesis and AWS/S3 namespaces: known traffic, then the
 * server's clock moves a minute (a day for S3's daily storage metrics), then GetMetricStatistics answers
 * the exact counts under AWS's metric names, units and dimensions, and ListMetrics lists them. Each
 * test names its resources uniquely: the lanes' counts are not reset between tests, only published.
 */
class AwsServiceMetricsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final CloudWatchClient cw = server.cloudWatch();

  private String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private List<Dimension> dims(String... nameValues) {
    List<Dimension> out = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) out.add(Dimension.builder().name(nameValues[i]).value(nameValues[i + 1]).build());
    return out;
  }

  /** The one datapoint of the metric over [from, the clock + 2 min), all of it in one period. */
  private Datapoint point(String namespace, String metric, Instant from, List<Dimension> dims) {
    GetMetricStatisticsResponse r = cw.getMetricStatistics(b -> b.namespace(namespace).metricName(metric).dimensions(dims)
        .startTime(from).endTime(server.clock().instant().plusSeconds(120)).period(600)
        .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT, Statistic.MINIMUM, Statistic.MAXIMUM));
    assertThat(r.datapoints()).as(namespace + " " + metric + " " + dims).hasSize(1);
    return r.datapoints().get(0);
  }

  private double sum(String namespace, String metric, Instant from, List<Dimension> dims) {
    return point(namespace, metric, from, dims).sum();
  }

  private List<String> listed(String namespace, String dimension, String value) {
    return cw.listMetrics(b -> b.namespace(namespace).dimensions(DimensionFilter.builder().name(dimension).value(value).build()))
        .metrics().stream().map(Metric::metricName).toList();
  }

  private String queueArn(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings()
        .get("QueueArn");
  }

  /** Receives until {@code n} messages came (deleting them), so that every delivery is counted before the clock moves. */
  private void drain(SqsClient sqs, String url, int n) {
    int[] got = {0};
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
      for (var m : messages) sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      got[0] += messages.size();
      return got[0] >= n;
    });
    assertThat(got[0]).isEqualTo(n);
  }

  @Test
  void snsCountsPublishesDeliveriesAndFilteredOutMessagesPerTopicName() {
    SqsClient sqs = server.sqs();
    String topicName = unique("cw-topic");
    String topic = server.sns().createTopic(b -> b.name(topicName)).topicArn();
    String all = sqs.createQueue(b -> b.queueName(unique("cw-all"))).queueUrl();
    String red = sqs.createQueue(b -> b.queueName(unique("cw-red"))).queueUrl();
    String body = sqs.createQueue(b -> b.queueName(unique("cw-body"))).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs, all)));
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs, red))
        .attributes(Map.of("FilterPolicy", "{\"color\":[\"red\"]}")));
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(sqs, body))
        .attributes(Map.of("FilterPolicy", "{\"kind\":[\"x\"]}", "FilterPolicyScope", "MessageBody")));
    // A queue that does not exist: each message fails once (SNS stops trying) and goes to the DLQ.
    String dlq = sqs.createQueue(b -> b.queueName(unique("cw-sns-dlq"))).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + unique("cw-gone"))
        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn(sqs, dlq) + "\"}")));
    for (int i = 0; i < 3; i++) server.sns().publish(b -> b.topicArn(topic).message("hello"));
    drain(sqs, all, 3);
    drain(sqs, dlq, 3);
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    List<Dimension> d = dims("TopicName", topicName);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/SNS", "NumberOfMessagesPublished", from, d)).isEqualTo(3.0));
    Datapoint size = point("AWS/SNS", "PublishSize", from, d);
    assertThat(size.sampleCount()).isEqualTo(3.0);
    assertThat(size.sum()).isEqualTo(15.0);
    assertThat(size.unit()).isEqualTo(StandardUnit.BYTES);
    Datapoint delivered = point("AWS/SNS", "NumberOfNotificationsDelivered", from, d);
    assertThat(delivered.sum()).isEqualTo(3.0);
    assertThat(delivered.unit()).isEqualTo(StandardUnit.COUNT);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsFilteredOut", from, d)).isEqualTo(6.0);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsFilteredOut-MessageAttributes", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsFilteredOut-NoMessageAttributes", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsFilteredOut-MessageBody", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsFailed", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/SNS", "NumberOfNotificationsRedrivenToDlq", from, d)).isEqualTo(3.0);
    assertThat(listed("AWS/SNS", "TopicName", topicName)).containsExactlyInAnyOrder("NumberOfMessagesPublished", "PublishSize",
        "NumberOfNotificationsDelivered", "NumberOfNotificationsFilteredOut", "NumberOfNotificationsFilteredOut-MessageAttributes",
        "NumberOfNotificationsFilteredOut-NoMessageAttributes", "NumberOfNotificationsFilteredOut-MessageBody",
        "NumberOfNotificationsFailed", "NumberOfNotificationsRedrivenToDlq");
  }

  private PutEventsRequestEntry event(String bus, String source) {
    return PutEventsRequestEntry.builder().eventBusName(bus).source(source).detailType("t").detail("{}").build();
  }

  @Test
  void eventsCountsMatchesAndInvocationsPerRuleWithTheBusNamedOnlyWhenCustom() {
    EventBridgeClient events = server.eventBridge();
    SqsClient sqs = server.sqs();
    String bus = unique("cw-bus");
    events.createEventBus(b -> b.name(bus));
    String queue = sqs.createQueue(b -> b.queueName(unique("cw-events"))).queueUrl();
    String custom = unique("cw-custom-rule");
    String onDefault = unique("cw-default-rule");
    events.putRule(b -> b.name(custom).eventBusName(bus).eventPattern("{\"source\":[\"cw.test\"]}"));
    String dlq = sqs.createQueue(b -> b.queueName(unique("cw-events-dlq"))).queueUrl();
    events.putTargets(b -> b.rule(custom).eventBusName(bus).targets(Target.builder().id("q").arn(queueArn(sqs, queue)).build(),
        Target.builder().id("gone").arn("arn:aws:sqs:us-east-1:000000000000:" + unique("cw-gone"))
            .deadLetterConfig(c -> c.arn(queueArn(sqs, dlq))).build()));
    events.putRule(b -> b.name(onDefault).eventPattern("{\"source\":[\"cw.default\"]}"));
    events.putTargets(b -> b.rule(onDefault).targets(Target.builder().id("q").arn(queueArn(sqs, queue)).build()));
    events.putEvents(b -> b.entries(event(bus, "cw.test"), event(bus, "cw.test"), event(bus, "other")));
    events.putEvents(b -> b.entries(event(null, "cw.default")));
    drain(sqs, queue, 3);
    drain(sqs, dlq, 2);
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    List<Dimension> customDims = dims("EventBusName", bus, "RuleName", custom);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/Events", "MatchedEvents", from, customDims)).isEqualTo(2.0));
    assertThat(sum("AWS/Events", "TriggeredRules", from, customDims)).isEqualTo(2.0);
    // Two events, two targets: the queue took both; the gone target's two went to its DLQ (invoked, failed, not retried).
    assertThat(sum("AWS/Events", "Invocations", from, customDims)).isEqualTo(4.0);
    assertThat(sum("AWS/Events", "InvocationAttempts", from, customDims)).isEqualTo(4.0);
    assertThat(sum("AWS/Events", "InvocationsSentToDlq", from, customDims)).isEqualTo(2.0);
    assertThat(sum("AWS/Events", "InvocationAttempts", from, dims("EventBusName", bus))).isEqualTo(4.0);
    // The account-wide ones (no dimensions) hold these too, and whatever else this minute matched.
    assertThat(sum("AWS/Events", "MatchedEvents", from, List.of())).isGreaterThanOrEqualTo(3.0);
    List<Dimension> defaultDims = dims("RuleName", onDefault);
    assertThat(sum("AWS/Events", "MatchedEvents", from, defaultDims)).isEqualTo(1.0);
    assertThat(sum("AWS/Events", "Invocations", from, defaultDims)).isEqualTo(1.0);
    // A rule of the default bus has no EventBusName dimension; nothing failed, so no failure metric.
    assertThat(cw.listMetrics(b -> b.namespace("AWS/Events")
        .dimensions(DimensionFilter.builder().name("RuleName").value(onDefault).build())).metrics())
        .allSatisfy(m -> assertThat(m.dimensions()).extracting(Dimension::name).containsExactly("RuleName"));
    assertThat(listed("AWS/Events", "RuleName", custom)).containsExactlyInAnyOrder("MatchedEvents", "TriggeredRules",
        "Invocations", "InvocationAttempts", "InvocationsSentToDlq");
  }

  @Test
  void lambdaCountsInvocationsErrorsThrottlesAndDurationsPerFunctionAndVersion() {
    LambdaClient lambda = server.lambda();
    String name = unique("cw-function");
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
    lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{\"fail\":\"on purpose\"}")));
    String version = lambda.publishVersion(b -> b.functionName(name)).version();
    lambda.invoke(b -> b.functionName(name).qualifier(version).payload(SdkBytes.fromUtf8String("{}")));
    lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(0));
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOf(TooManyRequestsException.class);
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    List<Dimension> d = dims("FunctionName", name);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/Lambda", "Invocations", from, d)).isEqualTo(3.0));
    Datapoint errors = point("AWS/Lambda", "Errors", from, d);
    assertThat(errors.sum()).isEqualTo(1.0);
    assertThat(errors.sampleCount()).isEqualTo(3.0);
    assertThat(sum("AWS/Lambda", "Throttles", from, d)).isEqualTo(1.0);
    Datapoint duration = point("AWS/Lambda", "Duration", from, d);
    assertThat(duration.sampleCount()).isEqualTo(3.0);
    assertThat(duration.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    assertThat(duration.minimum()).isPositive();
    Datapoint p90 = cw.getMetricStatistics(b -> b.namespace("AWS/Lambda").metricName("Duration").dimensions(d)
        .startTime(from).endTime(server.clock().instant().plusSeconds(120)).period(600).extendedStatistics("p90"))
        .datapoints().get(0);
    assertThat(p90.extendedStatistics().get("p90")).isBetween(duration.minimum(), duration.maximum());
    assertThat(point("AWS/Lambda", "ConcurrentExecutions", from, d).maximum()).isGreaterThanOrEqualTo(1.0);
    List<Dimension> published = dims("FunctionName", name, "Resource", name + ":" + version);
    assertThat(sum("AWS/Lambda", "Invocations", from, published)).isEqualTo(1.0);
    assertThat(point("AWS/Lambda", "Errors", from, published).sum()).isZero();
    Map<String, List<String>> byDimensions = new LinkedHashMap<>();
    for (Metric m : cw.listMetrics(b -> b.namespace("AWS/Lambda")
        .dimensions(DimensionFilter.builder().name("FunctionName").value(name).build())).metrics()) {
      byDimensions.computeIfAbsent(m.metricName(), k -> new ArrayList<>())
          .add(m.dimensions().stream().map(Dimension::name).sorted().toList().toString());
    }
    assertThat(byDimensions.get("Invocations")).containsExactlyInAnyOrder("[FunctionName]", "[FunctionName, Resource]");
    assertThat(byDimensions.get("Throttles")).containsExactly("[FunctionName]");
    assertThat(sum("AWS/Lambda", "Invocations", from, List.of())).isGreaterThanOrEqualTo(3.0);
    assertThat(cw.listMetrics(b -> b.namespace("AWS/Lambda").metricName("Throttles")).metrics())
        .anySatisfy(m -> assertThat(m.dimensions()).isEmpty());
    assertThat(byDimensions).containsKeys("Errors", "Duration", "ConcurrentExecutions");
  }

  @Test
  void lambdaNamesTheAliasOrVersionInvokedAsResourceAndTheVersionAnAliasRanAsExecutedVersion() {
    LambdaClient lambda = server.lambda();
    String name = unique("cw-alias");
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    String v1 = lambda.publishVersion(b -> b.functionName(name)).version();
    lambda.updateFunctionConfiguration(b -> b.functionName(name).environment(e -> e.variables(Map.of("STAGE", "two"))));
    String v2 = lambda.publishVersion(b -> b.functionName(name)).version();
    assertThat(v2).isNotEqualTo(v1);
    lambda.createAlias(b -> b.functionName(name).name("live").functionVersion(v1));
    // Through the alias: twice while it names v1, once after it moved to v2.
    lambda.invoke(b -> b.functionName(name).qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
    lambda.invoke(b -> b.functionName(name + ":live").payload(SdkBytes.fromUtf8String("{\"fail\":\"on purpose\"}")));
    lambda.updateAlias(b -> b.functionName(name).name("live").functionVersion(v2));
    lambda.invoke(b -> b.functionName(name).qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
    // By version, and unqualified.
    lambda.invoke(b -> b.functionName(name).qualifier(v2).payload(SdkBytes.fromUtf8String("{}")));
    lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/Lambda", "Invocations", from, dims("FunctionName", name))).isEqualTo(5.0));
    List<Dimension> alias = dims("FunctionName", name, "Resource", name + ":live");
    assertThat(sum("AWS/Lambda", "Invocations", from, alias)).isEqualTo(3.0);
    assertThat(point("AWS/Lambda", "Errors", from, alias).sum()).isEqualTo(1.0);
    assertThat(point("AWS/Lambda", "Duration", from, alias).sampleCount()).isEqualTo(3.0);
    List<Dimension> ranV1 = dims("FunctionName", name, "Resource", name + ":live", "ExecutedVersion", v1);
    assertThat(sum("AWS/Lambda", "Invocations", from, ranV1)).isEqualTo(2.0);
    assertThat(sum("AWS/Lambda", "Errors", from, ranV1)).isEqualTo(1.0);
    assertThat(sum("AWS/Lambda", "Invocations", from,
        dims("FunctionName", name, "Resource", name + ":live", "ExecutedVersion", v2))).isEqualTo(1.0);
    // A version's Resource counts the calls that named it, not those an alias routed to it.
    assertThat(sum("AWS/Lambda", "Invocations", from, dims("FunctionName", name, "Resource", name + ":" + v2))).isEqualTo(1.0);
    Map<String, List<String>> byDimensions = new LinkedHashMap<>();
    for (Metric m : cw.listMetrics(b -> b.namespace("AWS/Lambda")
        .dimensions(DimensionFilter.builder().name("FunctionName").value(name).build())).metrics()) {
      byDimensions.computeIfAbsent(m.metricName(), k -> new ArrayList<>())
          .add(m.dimensions().stream().map(d -> d.name() + "=" + d.value()).sorted().toList().toString());
    }
    // Nothing under $LATEST or v1 as a Resource: the unqualified call names none, and v1 ran only through the alias.
    assertThat(byDimensions.get("Invocations")).containsExactlyInAnyOrder(
        "[FunctionName=" + name + "]",
        "[FunctionName=" + name + ", Resource=" + name + ":live]",
        "[ExecutedVersion=" + v1 + ", FunctionName=" + name + ", Resource=" + name + ":live]",
        "[ExecutedVersion=" + v2 + ", FunctionName=" + name + ", Resource=" + name + ":live]",
        "[FunctionName=" + name + ", Resource=" + name + ":" + v2 + "]");
  }

  @Test
  void lambdaCountsAsynchronousEventsReceivedTriedAndDropped() {
    LambdaClient lambda = server.lambda();
    SqsClient sqs = server.sqs();
    String name = unique("cw-async");
    String dlq = sqs.createQueue(b -> b.queueName(unique("cw-lambda-dlq"))).queueUrl();
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    lambda.updateFunctionConfiguration(b -> b.functionName(name).deadLetterConfig(c -> c.targetArn(queueArn(sqs, dlq))));
    lambda.putFunctionEventInvokeConfig(b -> b.functionName(name).maximumRetryAttempts(0));
    lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"fail\":\"on purpose\"}")));
    drain(sqs, dlq, 1);
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    List<Dimension> d = dims("FunctionName", name);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/Lambda", "AsyncEventsReceived", from, d)).isEqualTo(1.0));
    Datapoint age = point("AWS/Lambda", "AsyncEventAge", from, d);
    assertThat(age.sampleCount()).isEqualTo(1.0);
    assertThat(age.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    // Dropped although the DLQ got it, as AWS counts a given-up event.
    assertThat(sum("AWS/Lambda", "AsyncEventsDropped", from, d)).isEqualTo(1.0);
    assertThat(sum("AWS/Lambda", "Invocations", from, d)).isEqualTo(1.0);
    assertThat(sum("AWS/Lambda", "Errors", from, d)).isEqualTo(1.0);
    assertThat(listed("AWS/Lambda", "FunctionName", name)).doesNotContain("DeadLetterErrors", "Throttles");
  }

  @Test
  void kinesisCountsPutsAndReadsPerStreamName() {
    KinesisClient kinesis = server.kinesis();
    String name = unique("cw-stream");
    kinesis.createStream(b -> b.streamName(name).shardCount(1));
    // "k" + "abc": 4 bytes each.
    for (int i = 0; i < 2; i++) kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("abc")));
    List<PutRecordsRequestEntry> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) three.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("abc")).build());
    kinesis.putRecords(b -> b.streamName(name).records(three));
    String shard = kinesis.listShards(b -> b.streamName(name)).shards().get(0).shardId();
    String iterator = kinesis.getShardIterator(b -> b.streamName(name).shardId(shard)
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    assertThat(kinesis.getRecords(b -> b.shardIterator(iterator)).records()).hasSize(5);
    Instant from = server.clock().instant().minusSeconds(60);
    server.advance(Duration.ofSeconds(60));

    List<Dimension> d = dims("StreamName", name);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(sum("AWS/Kinesis", "IncomingRecords", from, d)).isEqualTo(5.0));
    Datapoint records = point("AWS/Kinesis", "IncomingRecords", from, d);
    assertThat(records.sampleCount()).isEqualTo(3.0);
    assertThat(records.maximum()).isEqualTo(3.0);
    Datapoint bytes = point("AWS/Kinesis", "IncomingBytes", from, d);
    assertThat(bytes.sum()).isEqualTo(20.0);
    assertThat(bytes.unit()).isEqualTo(StandardUnit.BYTES);
    assertThat(sum("AWS/Kinesis", "PutRecord.Success", from, d)).isEqualTo(2.0);
    assertThat(sum("AWS/Kinesis", "PutRecord.Bytes", from, d)).isEqualTo(8.0);
    assertThat(sum("AWS/Kinesis", "PutRecords.Success", from, d)).isEqualTo(1.0);
    assertThat(sum("AWS/Kinesis", "PutRecords.TotalRecords", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/Kinesis", "PutRecords.SuccessfulRecords", from, d)).isEqualTo(3.0);
    assertThat(sum("AWS/Kinesis", "PutRecords.ThrottledRecords", from, d)).isZero();
    assertThat(sum("AWS/Kinesis", "PutRecords.Bytes", from, d)).isEqualTo(12.0);
    assertThat(sum("AWS/Kinesis", "GetRecords.Success", from, d)).isEqualTo(1.0);
    assertThat(sum("AWS/Kinesis", "GetRecords.Records", from, d)).isEqualTo(5.0);
    assertThat(sum("AWS/Kinesis", "GetRecords.Bytes", from, d)).isEqualTo(15.0);
    Datapoint age = point("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", from, d);
    assertThat(age.maximum()).isZero();
    assertThat(age.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    Datapoint latency = point("AWS/Kinesis", "PutRecord.Latency", from, d);
    assertThat(latency.sampleCount()).isEqualTo(2.0);
    assertThat(latency.unit()).isEqualTo(StandardUnit.MILLISECONDS);
    assertThat(point("AWS/Kinesis", "GetRecords.Latency", from, d).sampleCount()).isEqualTo(1.0);
    assertThat(listed("AWS/Kinesis", "StreamName", name)).contains("IncomingRecords", "IncomingBytes", "PutRecord.Success",
        "PutRecords.TotalRecords", "GetRecords.Records", "GetRecords.IteratorAgeMilliseconds", "PutRecords.Latency");
  }

  @Test
  void s3PublishesItsDailyStorageMetricsAtTheStartOfEachDay() {
    String bucket = unique("cw-bucket");
    String empty = unique("cw-empty");
    var s3 = server.s3();
    s3.createBucket(b -> b.bucket(bucket));
    s3.createBucket(b -> b.bucket(empty));
    s3.putObject(b -> b.bucket(bucket).key("ten"), software.amazon.awssdk.core.sync.RequestBody.fromString("0123456789"));
    s3.putObject(b -> b.bucket(bucket).key("twenty"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("01234567890123456789"));
    long now = server.clock().millis();
    long midnight = (Math.floorDiv(now, 86_400_000L) + 1) * 86_400_000L;
    server.advance(Duration.ofMillis(midnight - now + 1000));
    Instant day = Instant.ofEpochMilli(midnight);

    List<Dimension> size = dims("BucketName", bucket, "StorageType", "StandardStorage");
    List<Dimension> objects = dims("BucketName", bucket, "StorageType", "AllStorageTypes");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(daily("BucketSizeBytes", day, size)).extracting(Datapoint::average).containsExactly(30.0));
    Datapoint bytes = daily("BucketSizeBytes", day, size).get(0);
    assertThat(bytes.timestamp()).isEqualTo(day);
    assertThat(bytes.unit()).isEqualTo(StandardUnit.BYTES);
    assertThat(daily("NumberOfObjects", day, objects)).extracting(Datapoint::average, Datapoint::unit)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2.0, StandardUnit.COUNT));
    assertThat(listed("AWS/S3", "BucketName", bucket)).containsExactlyInAnyOrder("BucketSizeBytes", "NumberOfObjects");
    assertThat(listed("AWS/S3", "BucketName", empty)).isEmpty();

    // Once a day: the next minutes add nothing.
    server.advance(Duration.ofSeconds(60));
    assertThat(daily("BucketSizeBytes", day, size)).extracting(Datapoint::sampleCount).containsExactly(1.0);
  }

  private List<Datapoint> daily(String metric, Instant day, List<Dimension> dims) {
    return cw.getMetricStatistics(b -> b.namespace("AWS/S3").metricName(metric).dimensions(dims)
        .startTime(day).endTime(day.plus(Duration.ofDays(1))).period(86_400)
        .statistics(Statistic.AVERAGE, Statistic.SAMPLE_COUNT)).datapoints();
  }
}
