package io.eventplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Store;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Data written before resources had regions (queues, topics and functions keyed by account and
 * name only, log groups directly under the account) is found again, in the configured region, after
 * an upgrade: the node rewrites it when it starts. The old layout is made here by rewriting a
 * current store back into it, key by key, as the previous version wrote it.
 */
class LegacyLayoutMigrationTest {
  private final List<EventplaneServer> started = new ArrayList<>();
  private Path dir;

  @AfterEach
  void stop() {
    started.forEach(EventplaneServer::close);
    if (dir != null) EmbeddedServer.deleteRecursively(dir);
  }

  private EventplaneServer start() {
    EventplaneServer s = EventplaneServer.start(EventplaneConfig.defaults().withPort(0).withDataDir(dir), new MutableClock());
    started.add(s);
    return s;
  }

  private static <B extends AwsClientBuilder<B, C>, C> C client(Supplier<B> builder, EventplaneServer s) {
    return builder.get().endpointOverride(URI.create("http://127.0.0.1:" + s.port())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
  }

  @Test
  void queuesTopicsFunctionsAndLogGroupsSurviveTheUpgrade() throws Exception {
    dir = Files.createTempDirectory("eventplane-legacy");
    EventplaneServer before = start();
    try (SqsClient sqs = client(() -> SqsClient.builder().httpClientBuilder(ApacheHttpClient.builder()), before);
        SnsClient sns = client(() -> SnsClient.builder().httpClientBuilder(ApacheHttpClient.builder()), before);
        LambdaClient lambda = client(() -> LambdaClient.builder()
            .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60))), before)) {
      String queueUrl = sqs.createQueue(b -> b.queueName("kept").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "40")))
          .queueUrl();
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("sent before the upgrade"));
      String gone = sqs.createQueue(b -> b.queueName("gone")).queueUrl();
      sqs.deleteQueue(b -> b.queueUrl(gone));
      String topic = sns.createTopic(b -> b.name("kept-topic")).topicArn();
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:kept")
          .attributes(Map.of("RawMessageDelivery", "true")));
      lambda.createFunction(b -> b.functionName("kept-fn").runtime("java17").role("arn:aws:iam::000000000000:role/r")
          .handler("io.eventplane.examples.Diagnostics::handleRequest")
          .code(c -> c.zipFile(SdkBytes.fromByteArray(EmbeddedServer.examplesJar()))));
      lambda.publishVersion(b -> b.functionName("kept-fn"));
      lambda.createAlias(b -> b.functionName("kept-fn").name("live").functionVersion("1"));
      lambda.putFunctionConcurrency(b -> b.functionName("kept-fn").reservedConcurrentExecutions(3));
      assertThat(lambda.invoke(b -> b.functionName("kept-fn").payload(SdkBytes.fromUtf8String("{\"log\":\"old\"}")))
          .statusCode()).isEqualTo(200);
    }
    before.close();
    started.clear();
    rewriteIntoTheOldLayout();

    EventplaneServer after = start();
    try (SqsClient sqs = client(() -> SqsClient.builder().httpClientBuilder(ApacheHttpClient.builder()), after);
        SnsClient sns = client(() -> SnsClient.builder().httpClientBuilder(ApacheHttpClient.builder()), after);
        LambdaClient lambda = client(() -> LambdaClient.builder()
            .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60))), after);
        CloudWatchLogsClient logs = client(() -> CloudWatchLogsClient.builder().httpClientBuilder(ApacheHttpClient.builder()),
            after)) {
      assertThat(sqs.listQueues().queueUrls()).singleElement().asString().endsWith("/000000000000/kept");
      String queueUrl = sqs.getQueueUrl(b -> b.queueName("kept")).queueUrl();
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributes())
          .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "40")
          .containsEntry(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:us-east-1:000000000000:kept");
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl)).messages()).extracting(m -> m.body())
          .containsExactly("sent before the upgrade");
      String topic = "arn:aws:sns:us-east-1:000000000000:kept-topic";
      assertThat(sns.listTopics().topics()).extracting(t -> t.topicArn()).containsExactly(topic);
      sns.publish(b -> b.topicArn(topic).message("published after the upgrade"));
      assertThat(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(10)).messages()).extracting(m -> m.body())
          .containsExactly("published after the upgrade");
      assertThat(lambda.getFunction(b -> b.functionName("kept-fn")).concurrency().reservedConcurrentExecutions()).isEqualTo(3);
      assertThat(lambda.getAlias(b -> b.functionName("kept-fn").name("live")).aliasArn())
          .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:kept-fn:live");
      assertThat(lambda.invoke(b -> b.functionName("kept-fn").qualifier("live")
          .payload(SdkBytes.fromUtf8String("{\"log\":\"new\"}"))).statusCode()).isEqualTo(200);
      assertThat(logs.describeLogGroups().logGroups()).extracting(LogGroup::logGroupName).containsExactly("/aws/lambda/kept-fn");
    }
  }

  /** The keys and files as the version before regions wrote them. */
  private void rewriteIntoTheOldLayout() throws Exception {
    List<String> families = Stream.concat(Services.families(Services.ALL).stream(),
        Stream.of("timers", "partitions")).toList();
    try (Store store = Store.open(dir.resolve("store"), io.eventplane.common.store.Durability.FSYNC, 100, families)) {
      try (Batch b = store.batch()) {
        // SQS: P Q account \0 region \0 name -> P q account \0 name, without the record's region; the same for X/x.
        rewrite(store, b, "sqs", "QX", value -> {
          if (value.length == 0 || value[0] != '{') return value;
          JsonObject j = new JsonObject(Buffer.buffer(value));
          j.remove("region");
          return j.toBuffer().getBytes();
        });
        rewrite(store, b, "sns", "TX", value -> value);
        rewrite(store, b, "lambda", "FZIPVA", value -> {
          if (value.length == 0 || value[0] != '{') return value;
          JsonObject j = new JsonObject(Buffer.buffer(value));
          if (j.containsKey("functionVersion")) j.remove("region");
          return j.toBuffer().getBytes();
        });
        store.commit(b).join();
      }
    }
    Path account = dir.resolve("logs").resolve("000000000000");
    Path region = account.resolve("us-east-1");
    try (Stream<Path> groups = Files.list(region)) {
      for (Path g : groups.toList()) Files.move(g, account.resolve(g.getFileName()));
    }
    Files.delete(region);
  }

  /** Every key of the kinds: kind lower-cased, the region part (second 0-terminated part) dropped. */
  private static void rewrite(Store store, Batch b, String family, String kinds,
      java.util.function.UnaryOperator<byte[]> value) {
    ColumnFamily cf = store.columnFamily(family);
    for (int partition = 0; partition < 64; partition++) {
      for (char kind : kinds.toCharArray()) {
        byte[] prefix = {(byte) (partition >> 8), (byte) partition, (byte) kind};
        store.scan(cf, prefix, (k, v) -> {
          int accountEnd = indexOf0(k, 3);
          int regionEnd = indexOf0(k, accountEnd + 1);
          ByteArrayOutputStream old = new ByteArrayOutputStream();
          old.write(k, 0, 2);
          old.write(Character.toLowerCase(kind));
          old.write(k, 3, accountEnd + 1 - 3);
          old.write(k, regionEnd + 1, k.length - regionEnd - 1);
          b.delete(cf, k);
          b.put(cf, old.toByteArray(), value.apply(Arrays.copyOf(v, v.length)));
          return true;
        });
      }
    }
  }

  private static int indexOf0(byte[] key, int from) {
    for (int i = from; i < key.length; i++) if (key[i] == 0) return i;
    return key.length;
  }
}
