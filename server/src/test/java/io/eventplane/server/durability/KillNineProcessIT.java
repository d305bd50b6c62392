package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SIGKILL under load, with {@code --durability fsync}: whatever the server acknowledged must
 * survive, whatever it did not may go either way, and nothing else may appear.
 *
 * <p>Load: standard-queue senders (single and batch), receivers that delete at once (single and
 * batch), a holder that receives with an 8 s visibility timeout and never deletes, FIFO senders
 * with several groups each, and a FIFO consumer. After the kill the same data dir is served by a
 * new process, and:
 *
 * <ul>
 *   <li>every acknowledged send is found again or was acknowledged deleted, with its exact body;
 *       no acknowledged delete comes back; every message found was at least attempted;
 *   <li>held messages stay invisible until their visibility timeout (counted from before the
 *       kill) ends, and then come back;
 *   <li>FIFO groups continue in order, without gaps, from where the acknowledged deletes stopped;
 *       deduplication ids sent before the kill still deduplicate.
 * </ul>
 *
 * <p>An "acknowledged delete" is one answered within the visibility timeout of its receive, so its
 * handle was the latest one: a late delete of a message received again since is allowed to
 * delete nothing, as on SQS.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillNineProcessIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final int DELETER_VISIBILITY = 6;
  private static final int HOLDER_VISIBILITY = 20; // outlasts a restart on a loaded machine (7+ s seen)
  private static final int FIFO_VISIBILITY = 6;
  private static final int STANDARD_SENDERS = 3;
  private static final int FIFO_SENDERS = 2;
  private static final int GROUPS_PER_FIFO_SENDER = 3;

  private Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<SqsClient> clients = new ArrayList<>();
  private ExecutorService pool;

  // ---- what the clients were told (the ledger)

  /** Acknowledged standard sends: message id to body. */
  private final Map<String, String> sent = new ConcurrentHashMap<>();
  /** Every standard body a sender tried to send, acknowledged or not. */
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  /** Acknowledged deletes whose handle was still current. */
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  /** Deletes that may or may not have happened: unanswered (the kill) or answered after the handle may have gone stale. */
  private final Set<String> maybeDeleted = ConcurrentHashMap.newKeySet();
  /** Held (received, never deleted) messages: id to the wall time just before the receive was sent. */
  private final Map<String, Long> held = new ConcurrentHashMap<>();

  /** FIFO: per group, the acknowledged sends in order (sequence numbers), and every attempted one. */
  private final Map<String, List<Integer>> fifoSent = new ConcurrentHashMap<>();
  private final Map<String, Integer> fifoLastAttempted = new ConcurrentHashMap<>();
  private final Map<String, String> fifoMessageIds = new ConcurrentHashMap<>();
  /** FIFO: per group, what the consumer received before the kill, in order, and the acknowledged deletes. */
  private final Map<String, List<Integer>> fifoReceived = new ConcurrentHashMap<>();
  private final Map<String, Integer> fifoLastDeleted = new ConcurrentHashMap<>();
  private final Map<String, Integer> fifoMaybeDeleted = new ConcurrentHashMap<>();

  private final AtomicBoolean killed = new AtomicBoolean();
  private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

  @BeforeEach
  void tempDir() throws Exception {
    root = Files.createTempDirectory("eventplane-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    killed.set(true);
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    clients.forEach(SqsClient::close);
    for (ServerProcess p : processes) p.close();
    if (root != null && Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private ServerProcess start(String logName) throws Exception {
    String jar = System.getProperty("eventplane.jar");
    assertThat(jar).as("system property eventplane.jar (set by failsafe)").isNotBlank();
    assertThat(Path.of(jar)).as("the packaged server jar").exists();
    ServerProcess p = ServerProcess.start(Path.of(jar), root.resolve("data"), root.resolve(logName), STARTUP);
    processes.add(p);
    return p;
  }

  private SqsClient client(ServerProcess server, boolean retries) {
    SqsClient c = SqsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).socketTimeout(Duration.ofSeconds(30))
            .connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> {
          if (!retries) o.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build();
    clients.add(c);
    return c;
  }

  @Test
  void acknowledgedWorkSurvivesKillNine() throws Exception {
    ServerProcess first = start("first.log");
    SqsClient setup = client(first, true);
    String standard = setup.createQueue(b -> b.queueName("durable")).queueUrl();
    String fifo = setup.createQueue(b -> b.queueName("durable.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .queueUrl();

    SqsClient load = client(first, false);
    pool = Executors.newFixedThreadPool(STANDARD_SENDERS + FIFO_SENDERS + 4);
    for (int t = 0; t < STANDARD_SENDERS; t++) worker(standardSender(load, standard, t));
    for (int t = 0; t < 2; t++) worker(deleter(load, standard));
    worker(holder(load, standard));
    for (int t = 0; t < FIFO_SENDERS; t++) worker(fifoSender(load, fifo, t));
    worker(fifoConsumer(load, fifo));

    // A few seconds of load, and at least enough of each kind of acknowledged work to check.
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(25)).until(() ->
        sent.size() >= 300 && deleted.size() >= 100 && held.size() >= 10
            && fifoLastDeleted.values().stream().mapToInt(Integer::intValue).sum() >= 30);
    assertThat(unexpected).as("failures before the kill").isEmpty();

    killed.set(true);
    long killedAt = System.currentTimeMillis();
    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("load threads stopped").isTrue();
    assertThat(unexpected).as("failures before the kill").isEmpty();

    ServerProcess second = start("second.log");
    long restartedAt = System.currentTimeMillis();
    SqsClient sqs = client(second, true);
    String standardAgain = sqs.getQueueUrl(b -> b.queueName("durable")).queueUrl();
    String fifoAgain = sqs.getQueueUrl(b -> b.queueName("durable.fifo")).queueUrl();
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(fifoAgain).attributeNames(QueueAttributeName.FIFO_QUEUE)).attributes())
        .containsEntry(QueueAttributeName.FIFO_QUEUE, "true");

    // Held messages received in the last seconds before the kill must still be hidden now.
    long checkable = held.values().stream().filter(at -> at + HOLDER_VISIBILITY * 1000L > restartedAt + 1000).count();
    assertThat(checkable).as("held messages whose visibility outlasts the restart (else the restart was too slow to check)")
        .isPositive();

    Map<String, String> found = new HashMap<>();
    Map<String, Long> foundBy = new HashMap<>();
    Map<String, Integer> receiveCounts = new HashMap<>();
    Map<String, List<Integer>> fifoAfter = new HashMap<>();
    Set<String> mustFind = new HashSet<>(sent.keySet());
    mustFind.removeAll(deleted);
    mustFind.removeAll(maybeDeleted);
    long quietAfter = killedAt + Math.max(HOLDER_VISIBILITY, Math.max(DELETER_VISIBILITY, FIFO_VISIBILITY)) * 1000L + 1000;

    await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
      drainStandard(sqs, standardAgain, found, foundBy, receiveCounts);
      drainFifo(sqs, fifoAgain, fifoAfter);
      assertThat(found.keySet()).as("acknowledged sends found again").containsAll(mustFind);
      assertFifoComplete(fifoAfter);
      assertThat(System.currentTimeMillis()).as("every visibility timeout from before the kill has ended").isGreaterThan(quietAfter);
    });

    System.out.printf("kill -9 after %d acknowledged sends (%d attempted), %d acknowledged deletes (%d uncertain), %d held "
            + "(%d still hidden at restart), %d FIFO sends in %d groups; restart took %d ms; found %d messages again%n",
        sent.size(), attempted.size(), deleted.size(), maybeDeleted.size(), held.size(), checkable,
        fifoSent.values().stream().mapToInt(List::size).sum(), fifoSent.size(), restartedAt - killedAt, found.size());

    // Nothing acknowledged as deleted came back, nothing was corrupted, nothing came from nowhere.
    assertThat(found.keySet()).as("acknowledged deletes that reappeared").doesNotContainAnyElementsOf(deleted);
    for (Map.Entry<String, String> e : found.entrySet()) {
      if (sent.containsKey(e.getKey())) {
        assertThat(e.getValue()).as("body of %s", e.getKey()).isEqualTo(sent.get(e.getKey()));
      } else {
        assertThat(attempted).as("a message nobody sent: %s", e.getValue()).contains(e.getValue());
      }
    }
    // Held messages came back, but only once their visibility timeout had ended.
    held.forEach((id, receivedBefore) -> {
      if (deleted.contains(id) || maybeDeleted.contains(id)) return;
      assertThat(found).as("held message %s", id).containsKey(id);
      assertThat(foundBy.get(id)).as("when held message %s reappeared", id)
          .isGreaterThanOrEqualTo(receivedBefore + HOLDER_VISIBILITY * 1000L);
      // The receive before the kill was persisted with the message: this is at least its second.
      assertThat(receiveCounts.get(id)).as("ApproximateReceiveCount of held message %s", id).isGreaterThanOrEqualTo(2);
    });

    // FIFO deduplication ids from before the kill still deduplicate (5 minutes, deletes or not).
    String group = fifoSent.keySet().iterator().next();
    int last = fifoSent.get(group).get(fifoSent.get(group).size() - 1);
    String again = sqs.sendMessage(b -> b.queueUrl(fifoAgain).messageBody(fifoBody(group, last)).messageGroupId(group)
        .messageDeduplicationId(group + "-" + last)).messageId();
    assertThat(again).isEqualTo(fifoMessageIds.get(group + "-" + last));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(fifoAgain).maxNumberOfMessages(10)).messages()).isEmpty();

    for (String url : List.of(standardAgain, fifoAgain)) {
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0");
    }
  }

  // ---- load

  private interface Step {
    void run() throws Exception;
  }

  private void worker(Step step) {
    pool.submit(() -> {
      while (!killed.get() && !Thread.currentThread().isInterrupted()) {
        try {
          step.run();
        } catch (SdkException | java.io.UncheckedIOException e) {
          if (!killed.get()) unexpected.add(e);
          return;
        } catch (Throwable e) {
          unexpected.add(e);
          return;
        }
      }
    });
  }

  private static String standardBody(int thread, int n) {
    return "s" + thread + "-" + n + " é\r\n🌍 " + "x".repeat(n % 64);
  }

  private Step standardSender(SqsClient sqs, String url, int thread) {
    int[] n = {0};
    return () -> {
      if (n[0] % 3 == 2) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        Map<String, String> bodies = new HashMap<>();
        for (int i = 0; i < 5; i++) {
          String body = standardBody(thread, n[0]++);
          attempted.add(body);
          bodies.put("e" + i, body);
          entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(body).build());
        }
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        assertThat(r.failed()).isEmpty();
        r.successful().forEach(s -> sent.put(s.messageId(), bodies.get(s.id())));
      } else {
        String body = standardBody(thread, n[0]++);
        attempted.add(body);
        sent.put(sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId(), body);
      }
    };
  }

  private Step deleter(SqsClient sqs, String url) {
    return () -> {
      long before = System.currentTimeMillis();
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
          .visibilityTimeout(DELETER_VISIBILITY)).messages();
      if (got.isEmpty()) return;
      got.forEach(m -> maybeDeleted.add(m.messageId()));
      if (got.size() == 1) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
      } else {
        var r = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, got.size())
            .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(got.get(i).receiptHandle()).build())
            .toList()));
        assertThat(r.failed()).isEmpty();
      }
      if (System.currentTimeMillis() < before + DELETER_VISIBILITY * 1000L) {
        for (Message m : got) {
          deleted.add(m.messageId());
          maybeDeleted.remove(m.messageId());
        }
      }
    };
  }

  private Step holder(SqsClient sqs, String url) {
    return () -> {
      long before = System.currentTimeMillis();
      for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(HOLDER_VISIBILITY))
          .messages()) {
        held.put(m.messageId(), before);
      }
      Thread.sleep(100);
    };
  }

  private static String fifoBody(String group, int n) {
    return "f|" + group + "|" + n;
  }

  private Step fifoSender(SqsClient sqs, String url, int thread) {
    int[] n = new int[GROUPS_PER_FIFO_SENDER];
    int[] round = {0};
    return () -> {
      int g = round[0]++ % GROUPS_PER_FIFO_SENDER;
      String group = "t" + thread + "g" + g;
      List<Integer> acked = fifoSent.computeIfAbsent(group, k -> Collections.synchronizedList(new ArrayList<>()));
      if (round[0] % 4 == 0) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          int seq = n[g]++;
          fifoLastAttempted.put(group, seq);
          entries.add(SendMessageBatchRequestEntry.builder().id("s" + seq).messageBody(fifoBody(group, seq))
              .messageGroupId(group).messageDeduplicationId(group + "-" + seq).build());
        }
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        assertThat(r.failed()).isEmpty();
        assertThat(r.successful()).extracting(e -> e.id()).isEqualTo(entries.stream().map(e -> e.id()).toList());
        r.successful().forEach(e -> {
          int seq = Integer.parseInt(e.id().substring(1));
          fifoMessageIds.put(group + "-" + seq, e.messageId());
          acked.add(seq);
        });
      } else {
        int seq = n[g]++;
        fifoLastAttempted.put(group, seq);
        String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody(fifoBody(group, seq)).messageGroupId(group)
            .messageDeduplicationId(group + "-" + seq)).messageId();
        fifoMessageIds.put(group + "-" + seq, id);
        acked.add(seq);
      }
    };
  }

  private Step fifoConsumer(SqsClient sqs, String url) {
    return () -> {
      long before = System.currentTimeMillis();
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
          .visibilityTimeout(FIFO_VISIBILITY)).messages();
      for (Message m : got) {
        String[] parts = m.body().split("\\|");
        String group = parts[1];
        int seq = Integer.parseInt(parts[2]);
        List<Integer> seen = fifoReceived.computeIfAbsent(group, k -> new ArrayList<>());
        int expected = seen.isEmpty() ? 0 : seen.get(seen.size() - 1) + 1;
        assertThat(seq).as("FIFO order before the kill in group %s after %s", group, seen).isEqualTo(expected);
        seen.add(seq);
        fifoMaybeDeleted.put(group, seq);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        if (System.currentTimeMillis() < before + FIFO_VISIBILITY * 1000L) {
          fifoLastDeleted.put(group, seq);
          fifoMaybeDeleted.remove(group);
        } else {
          throw new AssertionError("the FIFO consumer was too slow to delete within the visibility timeout");
        }
      }
    };
  }

  // ---- after the restart

  /** Receives until empty, recording each message and when the receive that first returned it ended; deletes them. */
  private static void drainStandard(SqsClient sqs, String url, Map<String, String> found, Map<String, Long> foundBy,
      Map<String, Integer> receiveCounts) {
    while (true) {
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)
          .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
      long answeredAt = System.currentTimeMillis();
      if (got.isEmpty()) return;
      for (Message m : got) {
        found.putIfAbsent(m.messageId(), m.body());
        foundBy.putIfAbsent(m.messageId(), answeredAt);
        receiveCounts.putIfAbsent(m.messageId(), Integer.parseInt(m.attributesAsStrings().get("ApproximateReceiveCount")));
      }
      sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, got.size())
          .mapToObj(i -> DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(got.get(i).receiptHandle()).build())
          .toList()));
    }
  }

  private static void drainFifo(SqsClient sqs, String url, Map<String, List<Integer>> after) {
    while (true) {
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)).messages();
      if (got.isEmpty()) return;
      for (Message m : got) {
        String[] parts = m.body().split("\\|");
        after.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(Integer.parseInt(parts[2]));
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
  }

  /**
   * Per group, the messages after the restart continue the acknowledged deletes without a gap, in
   * order, up to at least the last acknowledged send and at most the last attempted one.
   */
  private void assertFifoComplete(Map<String, List<Integer>> after) {
    for (String group : fifoLastAttempted.keySet()) {
      List<Integer> got = after.getOrDefault(group, List.of());
      int lastDeleted = fifoLastDeleted.getOrDefault(group, -1);
      List<Integer> acked = fifoSent.getOrDefault(group, List.of());
      int lastAcked;
      synchronized (acked) {
        lastAcked = acked.isEmpty() ? -1 : acked.get(acked.size() - 1);
      }
      if (got.isEmpty()) {
        boolean nothingLeft = lastAcked <= lastDeleted || (lastAcked == lastDeleted + 1 && fifoMaybeDeleted.containsKey(group));
        assertThat(nothingLeft).as("group %s: nothing came back, but acknowledged sends up to %d and deletes up to %d",
            group, lastAcked, lastDeleted).isTrue();
        continue;
      }
      int firstExpected = lastDeleted + 1;
      boolean skippedMaybeDeleted = fifoMaybeDeleted.containsKey(group) && got.get(0) == firstExpected + 1;
      assertThat(got.get(0)).as("group %s continues after delete %d (%s)", group, lastDeleted, got)
          .isEqualTo(skippedMaybeDeleted ? firstExpected + 1 : firstExpected);
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i)).as("group %s in order without gaps: %s", group, got).isEqualTo(got.get(i - 1) + 1);
      }
      int lastGot = got.get(got.size() - 1);
      assertThat(lastGot).as("group %s reaches its last acknowledged send", group).isGreaterThanOrEqualTo(lastAcked);
      assertThat(lastGot).as("group %s ends at or before its last attempted send", group)
          .isLessThanOrEqualTo(fifoLastAttempted.get(group));
    }
  }
}
