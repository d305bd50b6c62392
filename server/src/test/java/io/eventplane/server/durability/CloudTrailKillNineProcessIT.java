package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL of a server whose audit trail is busy, {@code --durability fsync}: a load of write calls
 * (CreateQueue, TagQueue, CreateTopic, each with a name or tag of its own) runs until the kill, a rule
 * on the default bus sends the CreateQueue calls' events to a queue, and a logging trail delivers its
 * log files to a bucket every {@code eventplane.cloudtrail.deliverySeconds=1} (checked every five
 * seconds of the server's clock: {@code LogFiles}), the kill coming at a random point after its first
 * file. After the restart on the same data directory:
 * <ul>
 *   <li>every call answered more than {@link #MARGIN} before the kill has its record, once, in
 *       LookupEvents (by EventName), and no two records share an EventId;
 *   <li>every CreateQueue whose record LookupEvents returns reaches the rule's queue (the outbox),
 *       at least once;
 *   <li>every record LookupEvents returns for the trail's span (calls recorded after StartLogging
 *       was answered, before the kill) is in exactly one of the trail's log files, whether the kill
 *       came before, during or after a delivery (intent, object, cursor).
 * </ul>
 *
 * <p>The margin: a call's record is not part of the call's own write; the gateway's tap
 * ({@code AuditTap}) builds it on the next turn of the event loop and sends it within its 20 ms
 * window (or at 200 records) as one {@code eventplane:PutRecords} to the audit partition's lane on
 * this node, which answers once its batch is fsynced (group commit). So a record is durable a window,
 * an event-bus hop and a group commit after its call was answered: tens of milliseconds. One second
 * (fifty windows) leaves room for a GC pause or a slow fsync on a busy CI machine; calls answered
 * within the last second before the kill may or may not have their records, and the test does not
 * care which, but whichever it has, it has once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CloudTrailKillNineProcessIT {
  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final List<String> JVM = List.of("-Deventplane.cloudtrail.deliverySeconds=1");
  private static final String ACCOUNT = "000000000000";
  private static final String LOGS = "AWSLogs/" + ACCOUNT + "/CloudTrail/us-east-1/";
  private static final String BUCKET = "ct-kill-logs";
  private static final String TRAIL = "kill-trail";
  private static final String EVENTS_QUEUE = "ct-create-queue-events";
  private static final int THREADS = 3;
  /** How many calls at least are answered more than {@link #MARGIN} before the kill. */
  private static final int DURABLE = 200;

  /** A call of the load: the key of its record (event name and the name or tag only it used), when it was answered. */
  private record Answered(String key, long atMillis) {}

  private KillNineHarness harness;
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final List<Answered> answered = java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-ct-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  @Test
  void answeredCallsKeepTheirRecordsEventsAndLogFilesAfterKillNine() throws Exception {
    ServerProcess first = harness.start("first.log", JVM, List.of());
    SqsClient sqs = harness.sqs(first);
    EventBridgeClient events = harness.events(first, true);
    S3Client s3 = harness.s3(first, true);
    CloudTrailClient cloudTrail = harness.cloudTrail(first);
    String eventsUrl = sqs.createQueue(b -> b.queueName(EVENTS_QUEUE)).queueUrl();
    String eventsArn = sqs.getQueueAttributes(b -> b.queueUrl(eventsUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
    events.putRule(b -> b.name("create-queue-calls").eventPattern("{\"source\":[\"aws.sqs\"],"
        + "\"detail-type\":[\"AWS API Call via CloudTrail\"],\"detail\":{\"eventName\":[\"CreateQueue\"]}}"));
    events.putTargets(b -> b.rule("create-queue-calls").targets(Target.builder().id("q").arn(eventsArn).build()));
    s3.createBucket(b -> b.bucket(BUCKET));
    cloudTrail.createTrail(b -> b.name(TRAIL).s3BucketName(BUCKET));
    cloudTrail.startLogging(b -> b.name(TRAIL));
    // Every record made after this instant was made after StartLogging took the trail's cursor.
    long logging = System.currentTimeMillis();
    List<String> tagged = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tagged.add(sqs.createQueue(b -> b.queueName("ct-tagged-" + thread)).queueUrl());
    }

    SqsClient loadSqs = harness.sqs(first, false);
    SnsClient loadSns = harness.sns(first, false);
    harness.load(THREADS, (thread, n) -> {
      String id = thread + "-" + n;
      String key;
      switch (n % 3) {
        case 0 -> {
          key = "CreateQueue:ctq-" + id;
          attempted.add(key);
          loadSqs.createQueue(b -> b.queueName("ctq-" + id));
        }
        case 1 -> {
          key = "TagQueue:" + id;
          attempted.add(key);
          loadSqs.tagQueue(b -> b.queueUrl(tagged.get(thread)).tags(Map.of("call", id)));
        }
        default -> {
          key = "CreateTopic:ctt-" + id;
          attempted.add(key);
          loadSns.createTopic(b -> b.name("ctt-" + id));
        }
      }
      answered.add(new Answered(key, System.currentTimeMillis()));
    });
    // Killed while the trail delivers: some time (a random number of calls) after its first log file.
    Awaitility.await("the trail's first log file").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> !s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(LOGS)).contents().isEmpty());
    int killAt = answered.size() + ThreadLocalRandom.current().nextInt(100, 1500);
    // ... and with at least DURABLE calls answered more than the margin before it, so that there is something to check.
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> harness.failure() != null
        || (answered.size() >= killAt && answeredBefore(System.currentTimeMillis() - MARGIN.toMillis()).size() >= DURABLE));
    long kill = System.currentTimeMillis();
    harness.killDuringLoad(first);

    ServerProcess second = harness.start("second.log", JVM, List.of());
    CloudTrailClient trail = harness.cloudTrail(second);

    // 1. Every call answered more than the margin before the kill has its record, once.
    Map<String, List<Event>> byKey = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    for (String name : List.of("CreateQueue", "TagQueue", "CreateTopic")) {
      for (Event e : lookup(trail, LookupEventsRequest.builder().lookupAttributes(a -> a
          .attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue(name)).build())) {
        assertThat(eventIds.add(e.eventId())).as("EventId %s listed once", e.eventId()).isTrue();
        String key = keyOf(new JsonObject(e.cloudTrailEvent()));
        if (key != null) byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
      }
    }
    Set<String> durable = answeredBefore(kill - MARGIN.toMillis());
    assertThat(durable).as("calls answered more than %s before the kill", MARGIN).hasSizeGreaterThanOrEqualTo(DURABLE);
    assertThat(byKey.keySet()).as("records of calls answered more than %s before the kill", MARGIN).containsAll(durable);
    KillNineHarness.assertNothingUnknown(byKey.keySet(), attempted, "records of calls");
    byKey.forEach((key, found) -> assertThat(found).as("records of the call %s", key).hasSize(1));

    // 2. Every stored CreateQueue reaches the default bus's rule, at least once.
    Set<String> created = new HashSet<>();
    for (String key : byKey.keySet()) if (key.startsWith("CreateQueue:")) created.add(key.substring("CreateQueue:".length()));
    SqsClient after = harness.sqs(second);
    String eventsAfter = after.getQueueUrl(b -> b.queueName(EVENTS_QUEUE)).queueUrl();
    Set<String> arrived = KillNineHarness.awaitArrivals(after, eventsAfter, created, m -> {
      JsonObject event = new JsonObject(m.body());
      assertThat(event.getString("detail-type")).isEqualTo("AWS API Call via CloudTrail");
      String queue = event.getJsonObject("detail").getJsonObject("requestParameters").getString("queueName");
      return queue.startsWith("ctq-") ? queue : null;
    }, Duration.ofSeconds(60), true, "CreateQueue calls LookupEvents returns, as events of the default bus");
    KillNineHarness.assertNothingUnknown(arrived, created, "CreateQueue events of queues");

    // 3. Every record of the trail's span is in exactly one log file, once the trail delivered again.
    Set<String> span = new HashSet<>();
    for (Event e : lookup(trail, LookupEventsRequest.builder().startTime(Instant.ofEpochMilli(logging))
        .endTime(Instant.ofEpochMilli(kill)).build())) {
      if (e.eventTime().toEpochMilli() > logging) span.add(e.eventId());
    }
    assertThat(span).as("records of the trail's span").hasSizeGreaterThan(durable.size());
    S3Client bucket = harness.s3(second, true);
    Map<String, Integer> inFiles = new HashMap<>();
    Awaitility.await("every record of the span in the trail's files").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          inFiles.clear();
          inFiles.putAll(logFileRecords(bucket));
          return inFiles.keySet().containsAll(span);
        });
    for (String id : span) assertThat(inFiles.get(id)).as("log files with the record %s", id).isEqualTo(1);
    inFiles.forEach((id, files) -> assertThat(files).as("log files with the record %s", id).isEqualTo(1));
    System.out.printf("CloudTrail kill -9 after %d answered calls (%d more than %s before the kill): %d records, "
        + "%d CreateQueue events, %d records of the trail's span in %d log files%n", answered.size(), durable.size(), MARGIN,
        byKey.size(), created.size(), span.size(), bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix(LOGS)).keyCount());
  }

  /** The keys of the calls answered before {@code millis}. */
  private Set<String> answeredBefore(long millis) {
    Set<String> out = new HashSet<>();
    synchronized (answered) {
      for (Answered a : answered) if (a.atMillis() < millis) out.add(a.key());
    }
    return out;
  }

  /** The load's key of a record (see the load), or null for a record of some other call. */
  private static String keyOf(JsonObject record) {
    JsonObject parameters = record.getJsonObject("requestParameters", new JsonObject());
    return switch (record.getString("eventName")) {
      case "CreateQueue" -> parameters.getString("queueName", "").startsWith("ctq-") ? "CreateQueue:" + parameters.getString("queueName") : null;
      case "TagQueue" -> "TagQueue:" + parameters.getJsonObject("tags", new JsonObject()).getString("call");
      case "CreateTopic" -> "CreateTopic:" + parameters.getString("name");
      default -> null;
    };
  }

  private static List<Event> lookup(CloudTrailClient trail, LookupEventsRequest request) {
    List<Event> out = new ArrayList<>();
    trail.lookupEventsPaginator(request).events().forEach(out::add);
    return out;
  }

  /** How many of the trail's log files hold each eventID (a file holding one twice counts twice). */
  private static Map<String, Integer> logFileRecords(S3Client s3) {
    Map<String, Integer> count = new HashMap<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(LOGS)).contents()) {
      byte[] gz = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("Records")
            .forEach(r -> count.merge(((JsonObject) r).getString("eventID"), 1, Integer::sum));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return count;
  }
}
