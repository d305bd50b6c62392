package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A partition in the small: the placement coordinator's node (the oldest member), chosen so that it
 * also owns the queue, is frozen with SIGSTOP, so it looks alive to its own sockets but dead to the
 * cluster. The others pick a new coordinator, which promotes the queue's replica; clients keep
 * sending. Sends that reached the frozen node are answered only after SIGCONT, when it no longer
 * owns the queue: whatever it acknowledges then must be in the new owner's copy (the replica fences
 * the old epoch), and the node rejoins, as a follower that knows the newer epoch, and serves again.
 */
class PartitionedOwnerProcessIT {
  @Test
  void aFrozenCoordinatorAndOwnerCannotAcknowledgeWritesTheNewOwnerLacks() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(3, List.of())) {
      try {
        freezeFailOverAndResume(cluster);
      } catch (Throwable e) {
        // It failed once in CI on a loaded machine: keep what the nodes said (every line is in the kept logs).
        System.out.println("PartitionedOwnerProcessIT failed (" + e + "); the nodes' whole logs are kept in "
            + cluster.keptLogs() + "; their tails:\n" + cluster.logs());
        throw e;
      }
    }
  }

  private static void freezeFailOverAndResume(ClusterNodes cluster) throws Exception {
    int owner = cluster.coordinatorAmong(List.of(0, 1, 2));
    String queue = null;
    for (int i = 0; queue == null; i++) {
      if (cluster.ownerOf("frozen-" + i, 0) == owner) queue = "frozen-" + i;
    }
    String name = queue;
    String url = cluster.client(0).createQueue(b -> b.queueName(name)).queueUrl();
    int other = (owner + 1) % 3;
    List<Integer> others = List.of(other, (owner + 2) % 3);
    long heldEpoch = cluster.placementOf(name, owner).getLong("epoch");
    // A client of a live node sends all through the freeze, the failover and the rejoin.
    SqsClient steady = cluster.client((owner + 2) % 3);
    // Each acknowledged send's message id, and the body that says which client sent it when.
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      for (int i = 0; sending.get(); i++) {
        String body = "steady-" + i;
        try {
          acked.put(steady.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId(), body);
        } catch (RuntimeException e) {
          // not acknowledged: no promise made
        }
        // A steady trickle, so that checking every message afterwards stays quick.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= 5);
    cluster.node(owner).signal("STOP");
    long stoppedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> cluster.placementOf(name, other).getLong("epoch") > heldEpoch);
    System.out.println("frozen coordinator and owner replaced after " + (System.nanoTime() - stoppedAt) / 1_000_000
        + " ms: " + cluster.placementOf(name, other));
    assertThat(cluster.placementOf(name, other).getString("owner")).isNotEqualTo("n" + owner);
    assertThat(cluster.coordinatorAmong(others)).isIn(others);

    SqsClient frozen = cluster.client(owner);
    List<CompletableFuture<String>> toFrozen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      toFrozen.add(CompletableFuture.supplyAsync(() ->
          frozen.sendMessage(b -> b.queueUrl(url).messageBody("to-frozen-" + n)).messageId() + " to-frozen-" + n));
    }
    SqsClient live = cluster.client(other);
    for (int i = 0; i < 5; i++) {
      String body = "live-" + i;
      acked.put(live.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId(), body);
    }

    cluster.node(owner).signal("CONT");
    int ackedByFrozen = 0;
    for (CompletableFuture<String> f : toFrozen) {
      try {
        String[] idAndBody = f.get(60, TimeUnit.SECONDS).split(" ");
        acked.put(idAndBody[0], idAndBody[1]);
        ackedByFrozen++;
      } catch (Exception e) {
        // refused: allowed, it promised nothing
      }
    }
    System.out.println("the resumed node acknowledged " + ackedByFrozen + " of 5 sends it held while frozen");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(cluster.cluster(owner).getJsonObject("placement").getJsonArray("live")).hasSize(3));
    // Rejoined as the youngest member: it follows the coordinator the others chose, and has been
    // fenced out of the epoch it held while frozen.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(cluster.cluster(owner).getJsonObject("placement").getBoolean("coordinator")).isFalse();
      assertThat(cluster.placementOf(name, owner).getLong("epoch")).isGreaterThan(heldEpoch);
    });
    assertThat(cluster.coordinatorAmong(others)).isIn(others);
    sending.set(false);
    sender.get(60, TimeUnit.SECONDS);
    System.out.println(acked.size() + " sends acknowledged in all");

    Set<String> received = ConcurrentHashMap.newKeySet();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (Message m : live.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          received.add(m.messageId());
        }
        return received.containsAll(acked.keySet());
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Which acknowledged sends are missing, and where the queue's partition stands, for the next look.
      // In the exception's message, so that CI's summary of the failure carries it.
      Map<String, String> missing = new TreeMap<>(acked);
      missing.keySet().removeAll(received);
      throw new AssertionError("not received within 30 s: " + missing.size() + " of " + acked.size()
          + " acknowledged sends " + missing.values() + " (the frozen node was n" + owner + "); placement seen by n"
          + other + " and n" + owner + ": " + cluster.placementOf(name, other) + " / " + cluster.placementOf(name, owner)
          + "; the queue's counts as each node answers them: " + counts(cluster, url, 0) + " / "
          + counts(cluster, url, 1) + " / " + counts(cluster, url, 2), e);
    }
    assertThat(received).containsAll(acked.keySet());

    String again = frozen.sendMessage(b -> b.queueUrl(url).messageBody("after")).messageId();
    await().atMost(Duration.ofSeconds(30)).until(() -> live.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .waitTimeSeconds(1)).messages().stream().anyMatch(m -> m.messageId().equals(again)));
  }

  /** ApproximateNumberOfMessages and ...NotVisible as node i answers them (or why it did not). */
  private static String counts(ClusterNodes cluster, String url, int i) {
    try {
      return "n" + i + " " + cluster.client(i).getQueueAttributes(b -> b.queueUrl(url).attributeNames(
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributesAsStrings();
    } catch (RuntimeException e) {
      return "n" + i + " " + e;
    }
  }
}
