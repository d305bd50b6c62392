package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * A stream mapping's checkpoints are durable: after a restart the mapping goes on after the last
 * batch it acknowledged, so no record is lost and none that was processed before is delivered again
 * (LastProcessingResult shows OK once a batch's checkpoint is written).
 */
class KinesisMappingRestartTest {
  private static final Pattern BATCH = Pattern.compile("BATCH \\S+ \\d+ (.*)");

  @Test
  void aRestartedServerGoesOnAfterTheCheckpoint() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-kinesis-mapping");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    try {
      EventplaneServer first = EventplaneServer.start(config, clock);
      try (Clients c = new Clients(first.port())) {
        c.kinesis.createStream(b -> b.streamName("kept").shardCount(1));
        String arn = c.kinesis.describeStreamSummary(b -> b.streamName("kept")).streamDescriptionSummary().streamARN();
        c.lambda.createFunction(b -> b.functionName("kept-recorder").runtime(software.amazon.awssdk.services.lambda.model.Runtime.JAVA17)
            .role(Functions.ROLE).handler("io.eventplane.examples.StreamRecorder::handleRequest").timeout(10).memorySize(256)
            .code(code -> code.zipFile(SdkBytes.fromByteArray(EmbeddedServer.examplesJar()))));
        c.lambda.createEventSourceMapping(b -> b.functionName("kept-recorder").eventSourceArn(arn)
            .startingPosition(EventSourcePosition.LATEST).batchSize(10));
        String uuid = c.lambda.listEventSourceMappings(b -> b.eventSourceArn(arn)).eventSourceMappings().get(0).uuid();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> c.lambda.getEventSourceMapping(b -> b.uuid(uuid)).state().equals("Enabled"));
        c.put("before", 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> c.delivered().size() >= 10);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> c.lambda.getEventSourceMapping(b -> b.uuid(uuid)).lastProcessingResult().equals("OK"));
      } finally {
        first.close();
      }

      EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
      try (Clients c = new Clients(second.port())) {
        c.put("after", 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> c.delivered().size() >= 20);
        List<String> all = c.delivered();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) expected.add("before-" + i);
        for (int i = 0; i < 10; i++) expected.add("after-" + i);
        // Every record once: the LATEST mapping starts where its checkpoints (or pinned start) say, not at LATEST again.
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
      } finally {
        second.close();
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** SDK clients of one server. */
  static final class Clients implements AutoCloseable {
    final KinesisClient kinesis;
    final LambdaClient lambda;
    final CloudWatchLogsClient logs;

    Clients(int port) {
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
      kinesis = EmbeddedServer.kinesisClient(endpoint, true);
      lambda = LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(120))).build();
      logs = CloudWatchLogsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
          .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** {@code n} records {@code prefix-0..n-1} in one PutRecords, so that one GetRecords sees all or none. */
    void put(String prefix, int n) {
      List<software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        entries.add(software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry.builder().partitionKey("k")
            .data(SdkBytes.fromUtf8String(prefix + "-" + i)).build());
      }
      kinesis.putRecords(b -> b.streamName("kept").records(entries));
    }

    List<String> delivered() {
      List<String> out = new ArrayList<>();
      try {
        for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/kept-recorder")).events()) {
          Matcher m = BATCH.matcher(e.message());
          if (m.find()) out.addAll(List.of(m.group(1).split(",")));
        }
      } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException noLogsYet) {
        return out;
      }
      return out;
    }

    @Override
    public void close() {
      kinesis.close();
      lambda.close();
      logs.close();
    }
  }
}
