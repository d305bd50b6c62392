package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * A stream mapping follows a resharded stream's lineage: a closed parent shard is read to its end
 * before its children start, so each partition key's records reach the function in order. Needs
 * SplitShard (branch kinesis-shard): where the Kinesis service does not offer it, the test is skipped.
 */
class KinesisMappingReshardTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final Pattern BATCH = Pattern.compile("BATCH (\\S+) \\d+ (.*)");

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static void put(String prefix) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey("key" + (i % 5)).data(SdkBytes.fromUtf8String(prefix + (i % 5) + "-" + i))
          .build());
    }
    kinesis().putRecords(b -> b.streamName("lineage").records(entries));
  }

  @Test
  void aParentShardIsFinishedBeforeItsChildrenStart() {
    kinesis().createStream(b -> b.streamName("lineage").shardCount(1));
    put("parent");
    try {
      kinesis().splitShard(b -> b.streamName("lineage").shardToSplit("shardId-000000000000")
          .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
    } catch (KinesisException e) {
      Assumptions.abort("SplitShard is not offered here: " + e.awsErrorDetails().errorCode());
    }
    // The split finishes (UPDATING to ACTIVE) on the service's clock.
    server.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        kinesis().describeStreamSummary(b -> b.streamName("lineage")).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    put("child");
    String arn = kinesis().describeStreamSummary(b -> b.streamName("lineage")).streamDescriptionSummary().streamARN();
    Functions.create(server.lambda(), "lineage-fn", "io.eventplane.examples.StreamRecorder::handleRequest", 10, Map.of());
    server.lambda().createEventSourceMapping(b -> b.functionName("lineage-fn").eventSourceArn(arn)
        .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(7));
    List<String[]> batches = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      batches.clear();
      Matcher m = BATCH.matcher(Functions.logText(server, "lineage-fn"));
      while (m.find()) batches.add(new String[] {m.group(1), m.group(2)});
      return batches.stream().mapToInt(b -> b[1].split(",").length).sum() >= 40;
    });
    List<String> all = new ArrayList<>();
    int lastParentBatch = -1;
    int firstChildBatch = Integer.MAX_VALUE;
    for (int i = 0; i < batches.size(); i++) {
      all.addAll(List.of(batches.get(i)[1].split(",")));
      if (batches.get(i)[0].equals("shardId-000000000000")) lastParentBatch = i;
      else firstChildBatch = Math.min(firstChildBatch, i);
    }
    assertThat(all).hasSize(40).doesNotHaveDuplicates();
    assertThat(lastParentBatch).as("every batch of the parent comes before the children's").isLessThan(firstChildBatch);
    for (int k = 0; k < 5; k++) {
      String key = String.valueOf(k);
      List<String> ofKey = all.stream().filter(d -> d.replaceAll("^(parent|child)(\\d)-.*", "$2").equals(key)).toList();
      List<String> expected = new ArrayList<>();
      for (String prefix : List.of("parent", "child")) for (int i = k; i < 20; i += 5) expected.add(prefix + k + "-" + i);
      assertThat(ofKey).as("key%s in order across the split", k).isEqualTo(expected);
    }
  }
}
