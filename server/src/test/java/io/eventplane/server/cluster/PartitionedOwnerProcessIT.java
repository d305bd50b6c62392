package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A partition in the small: the owner of a queue is frozen with SIGSTOP, so it looks alive to its
 * own sockets but dead to the cluster. The others promote its replica; clients keep sending. Sends
 * that reached the frozen node are answered only after SIGCONT, when it no longer owns the queue:
 * whatever it acknowledges then must be in the new owner's copy (the replica fences the old epoch),
 * and the node rejoins and serves again.
 */
class PartitionedOwnerProcessIT {
  @Test
  void aFrozenOwnerCannotAcknowledgeWritesTheNewOwnerLacks() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(3, List.of())) {
      String url = cluster.client(0).createQueue(b -> b.queueName("frozen")).queueUrl();
      int owner = cluster.ownerOf("frozen", 0);
      int other = (owner + 1) % 3;
      String before = cluster.placementOf("frozen", other).getString("owner");
      cluster.node(owner).signal("STOP");
      long stoppedAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> !cluster.placementOf("frozen", other).getString("owner").equals(before));
      System.out.println("frozen owner replaced after " + (System.nanoTime() - stoppedAt) / 1_000_000 + " ms: "
          + cluster.placementOf("frozen", other));

      SqsClient frozen = cluster.client(owner);
      List<CompletableFuture<String>> toFrozen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        toFrozen.add(CompletableFuture.supplyAsync(() ->
            frozen.sendMessage(b -> b.queueUrl(url).messageBody("to-frozen-" + n)).messageId()));
      }
      SqsClient live = cluster.client(other);
      Set<String> acked = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        String body = "live-" + i;
        acked.add(live.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId());
      }

      cluster.node(owner).signal("CONT");
      int ackedByFrozen = 0;
      for (CompletableFuture<String> f : toFrozen) {
        try {
          acked.add(f.get(60, TimeUnit.SECONDS));
          ackedByFrozen++;
        } catch (Exception e) {
          // refused: allowed, it promised nothing
        }
      }
      System.out.println("the resumed node acknowledged " + ackedByFrozen + " of 5 sends it held while frozen");

      Set<String> received = new HashSet<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (Message m : live.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          received.add(m.messageId());
        }
        return received.containsAll(acked);
      });
      assertThat(received).containsAll(acked);

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(cluster.cluster(owner).getJsonObject("placement").getJsonArray("live")).hasSize(3));
      String again = frozen.sendMessage(b -> b.queueUrl(url).messageBody("after")).messageId();
      await().atMost(Duration.ofSeconds(30)).until(() -> live.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages().stream().anyMatch(m -> m.messageId().equals(again)));
    }
  }
}
