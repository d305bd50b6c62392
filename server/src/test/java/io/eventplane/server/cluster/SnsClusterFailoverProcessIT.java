package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Three server JVMs, a topic fanning out to three queues, publishers on a node that does not own
 * the topic, and a SIGKILL of the topic's owner while they publish: every publish acknowledged
 * before or after the kill reaches every queue (the replica takes the topic over with its pending
 * deliveries), and the killed node comes back healthy.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class SnsClusterFailoverProcessIT {
  private static final List<String> QUEUES = List.of("fan-1", "fan-2", "fan-3");

  @Test
  void deliveriesContinueAfterTheTopicsOwnerDies() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(3, List.of("--durability", "fsync"))) {
      String topicName = "failover-topic";
      int owner = nodes.ownerOf("sns", topicName, 0);
      int publisherNode = (owner + 1) % 3;
      int readerNode = (owner + 2) % 3;
      SnsClient setup = nodes.snsClient(publisherNode);
      SqsClient sqsSetup = nodes.client(publisherNode);
      String topic = setup.createTopic(b -> b.name(topicName)).topicArn();
      for (String q : QUEUES) {
        sqsSetup.createQueue(b -> b.queueName(q));
        setup.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + q)
            .attributes(Map.of("RawMessageDelivery", "true")));
      }
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<SnsClient> publishers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        SnsClient client = nodes.snsClient(publisherNode);
        publishers.add(client);
        pool.submit(() -> {
          for (int n = 0; !stop.get(); n++) {
            String body = "t" + thread + "-" + n;
            try {
              client.publish(b -> b.topicArn(topic).message(body));
              acknowledged.add(body);
            } catch (RuntimeException e) {
              // Unacknowledged: may or may not be delivered.
            }
          }
        });
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 20);
      int before = acknowledged.size();
      assertThat(nodes.node(owner).kill()).isEqualTo(137);
      long killedAt = System.currentTimeMillis();
      // Publishing goes on through the failover until a good number more are acknowledged.
      await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= before + 30);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(acknowledged.size()).as("publishes acknowledged after the kill").isGreaterThan(before);

      SqsClient reader = nodes.client(readerNode);
      for (String q : QUEUES) {
        String url = reader.getQueueUrl(b -> b.queueName(q)).queueUrl();
        Set<String> got = new HashSet<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!got.containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
          for (Message m : reader.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
            got.add(m.body());
            reader.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
          }
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(got);
        assertThat(missing).as("acknowledged publishes missing from %s\n%s", q, nodes.logs()).isEmpty();
      }
      System.out.printf("SNS failover: %d publishes acknowledged (%d before the kill of n%d at %d), all in all %d queues%n",
          acknowledged.size(), before, owner, killedAt, QUEUES.size());
      nodes.restart(owner);
      assertThat(nodes.snsClient(owner).listTopics().topics()).extracting(t -> t.topicArn()).contains(topic);
      publishers.forEach(SnsClient::close);
    }
  }
}
