package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Three server JVMs, replication factor 2. Producers and consumers work a standard and a FIFO queue
 * through the two nodes that do not own them; the owner is killed with SIGKILL under that load.
 * Checked: every acknowledged send is received, no acknowledged delete comes back, FIFO order per
 * group holds, the queues serve again within a bound (reported), and the killed node, restarted,
 * catches up and serves again.
 */
class ClusterFailoverProcessIT {
  private static final int GROUPS = 4;

  @Test
  void killingTheOwnerUnderLoadLosesNothingAcknowledged() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(3, List.of())) {
      SqsClient setup = cluster.client(0);
      Map<QueueAttributeName, String> attrs = Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5");
      String standardUrl = setup.createQueue(b -> b.queueName("busy").attributes(attrs)).queueUrl();
      int owner = cluster.ownerOf("busy", 0);
      String fifoName = null;
      for (int i = 0; fifoName == null; i++) {
        if (cluster.ownerOf("busy-" + i + ".fifo", 0) == owner) fifoName = "busy-" + i + ".fifo";
      }
      Map<QueueAttributeName, String> fifoAttrs = new HashMap<>(attrs);
      fifoAttrs.put(QueueAttributeName.FIFO_QUEUE, "true");
      fifoAttrs.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
      String fifoName2 = fifoName;
      String fifoUrl = setup.createQueue(b -> b.queueName(fifoName2).attributes(fifoAttrs)).queueUrl();
      List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
      survivors.remove(Integer.valueOf(owner));
      System.out.println("queues owned by n" + owner + ": " + cluster.placementOf("busy", 0));

      Set<String> ackedSends = ConcurrentHashMap.newKeySet();
      Map<String, Long> ackedDeletes = new ConcurrentHashMap<>();
      Set<String> received = ConcurrentHashMap.newKeySet();
      List<String> reappeared = new ArrayList<>();
      Map<Integer, List<Integer>> fifoAcked = new ConcurrentHashMap<>();
      Map<Integer, List<Integer>> fifoSeen = new ConcurrentHashMap<>();
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicBoolean consuming = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        SqsClient c = cluster.client(survivors.get(t));
        int thread = t;
        work.add(pool.submit(() -> {
          for (int i = 0; producing.get(); i++) {
            try {
              ackedSends.add(c.sendMessage(b -> b.queueUrl(standardUrl).messageBody("s")).messageId());
            } catch (RuntimeException e) {
              // not acknowledged: no promise made
            }
            if (thread == 0) sendFifo(c, fifoUrl, i, fifoAcked);
          }
        }));
      }
      for (int t = 0; t < 2; t++) {
        SqsClient c = cluster.client(survivors.get(t));
        work.add(pool.submit(() -> {
          while (consuming.get()) {
            for (String url : List.of(standardUrl, fifoUrl)) {
              List<Message> got;
              try {
                got = c.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
              } catch (RuntimeException e) {
                continue;
              }
              for (Message m : got) {
                synchronized (reappeared) {
                  if (ackedDeletes.containsKey(m.messageId())) reappeared.add(m.messageId());
                }
                received.add(m.messageId());
                if (url.equals(fifoUrl)) {
                  String[] parts = m.body().split(":");
                  fifoSeen.computeIfAbsent(Integer.parseInt(parts[0]), g -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                }
                try {
                  c.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                  ackedDeletes.put(m.messageId(), System.nanoTime());
                } catch (RuntimeException e) {
                  // not acknowledged: the message may come back, which is allowed
                }
              }
            }
          }
        }));
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> ackedSends.size() >= 200);
      long killedAt = System.nanoTime();
      cluster.node(owner).kill();
      SqsClient probe = cluster.client(survivors.get(0));
      AtomicLong failoverMillis = new AtomicLong(-1);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
        probe.sendMessage(b -> b.queueUrl(standardUrl).messageBody("probe"));
        failoverMillis.set((System.nanoTime() - killedAt) / 1_000_000);
        return true;
      });
      System.out.println("failover: first acknowledged send on the moved queue " + failoverMillis.get() + " ms after SIGKILL");
      int before = ackedSends.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> ackedSends.size() >= before + 200);
      producing.set(false);
      // Drain: in-flight messages whose delete never got through turn visible after 5 s.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> received.containsAll(ackedSends) && fifoAcked.entrySet().stream()
              .allMatch(e -> new HashSet<>(fifoSeen.getOrDefault(e.getKey(), List.of())).containsAll(e.getValue())));
      consuming.set(false);
      for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      assertThat(reappeared).as("acknowledged deletes that came back").isEmpty();
      for (int g = 0; g < GROUPS; g++) {
        List<Integer> firstSeen = fifoSeen.getOrDefault(g, List.of()).stream().distinct().toList();
        assertThat(firstSeen).as("FIFO group " + g + " in order").isSorted();
      }
      assertThat(failoverMillis.get()).isLessThan(15_000);

      // The survivors keep the failover in their placement log (DescribeCluster's placement.changes), and the
      // console's cluster page lists it.
      int partition = io.eventplane.common.partition.Partitions.of("sqs", "000000000000", "busy");
      String killed = "n" + owner;
      int survivor = survivors.get(0);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.cluster(survivor).getJsonObject("placement")
          .getJsonArray("changes").stream().map(o -> (io.vertx.core.json.JsonObject) o)
          .filter(c -> c.getInteger("partition") == partition && "failover".equals(c.getString("kind"))).toList())
          .anySatisfy(c -> assertThat(c.getString("previousOwner")).isEqualTo(killed)));
      String page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          cluster.node(survivor).endpoint().resolve("/_eventplane/console/cluster")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).contains("class=\"change-kind\">failover<").containsPattern("<td>" + partition + "</td><td class=\"change-kind\">failover</td><td>"
          + killed + "</td>");

      cluster.restart(owner);
      SqsClient back = cluster.client(owner);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(cluster.cluster(owner).getJsonObject("placement").getInteger("ownedPartitions")).isPositive());
      String id = back.sendMessage(b -> b.queueUrl(standardUrl).messageBody("after-restart")).messageId();
      Set<String> later = new HashSet<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (Message m : back.receiveMessage(b -> b.queueUrl(standardUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
          later.add(m.messageId());
        }
        return later.contains(id);
      });
      System.out.println("restarted node took back " + cluster.cluster(owner).getJsonObject("placement").getInteger("ownedPartitions")
          + " partitions; acknowledged sends " + ackedSends.size() + ", all received");
    }
  }

  private static void sendFifo(SqsClient c, String url, int i, Map<Integer, List<Integer>> acked) {
    int group = i % GROUPS;
    List<Integer> sent = acked.computeIfAbsent(group, g -> new ArrayList<>());
    int next = sent.isEmpty() ? 0 : sent.get(sent.size() - 1) + 1;
    try {
      c.sendMessage(b -> b.queueUrl(url).messageGroupId(Integer.toString(group)).messageBody(group + ":" + next));
      sent.add(next);
    } catch (RuntimeException e) {
      // Not acknowledged: send the same index again next round so the group's order has no holes.
    }
  }
}
