package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.EventBridgeConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SIGKILL during concurrent uploads (single PUTs of 1 KiB to 3 MiB and multipart uploads): after a
 * restart on the same data directory every acknowledged object reads back byte-identical, no object
 * is half written (every object's bytes match its ETag), no blob is left that no object names, and
 * every acknowledged write has its notification in the queue. The rest of S3's state comes back too:
 * versions and a delete marker, bucket tagging, CORS, lifecycle and replication configurations, an
 * object ACL; a restore under way at the kill completes and a replicated write reaches its replica.
 * The bucket also sends its events to EventBridge: every acknowledged upload reaches the rule's queue
 * as "Object Created" after the restart (its notice was in the upload's batch), whether the kill came
 * before, during or after its trip through EventBridge, and no event names a key nobody uploaded.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class S3KillNineProcessIT {
  private static final int UPLOADERS = 4;
  private static final long RESTORE_DELAY_MILLIS = 3_000;
  private static final String ROLE = "arn:aws:iam::000000000000:role/replication";
  /** The queue of the EventBridge rule that takes the load bucket's "Object Created" events. */
  private static final String CREATED_QUEUE = "durable-created";

  private KillNineHarness harness;
  /** Acknowledged keys and the MD5 of what was sent. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> attempted = new ConcurrentHashMap<>();

  @BeforeEach
  void harness() throws Exception {
    harness = new KillNineHarness("eventplane-s3-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    harness.close();
  }

  private ServerProcess start(String logName) throws Exception {
    // A restore takes seconds rather than the default 5, so one asked for just before the kill is still
    // under way at the kill and completes only from the schedule the restarted server reads back.
    return harness.start(logName, List.of(), List.of("--s3-restore-delay-ms", Long.toString(RESTORE_DELAY_MILLIS)));
  }

  @Test
  void everyAcknowledgedObjectIsWholeAndNotifiedAfterKillNine() throws Exception {
    ServerProcess first = start("first.log");
    S3Client setup = harness.s3(first, true);
    SqsClient sqs = harness.sqs(first);
    String queueUrl = sqs.createQueue(b -> b.queueName("uploads")).queueUrl();
    AcknowledgedState state = acknowledgeBucketState(setup);
    setup.createBucket(b -> b.bucket("durable"));
    // Both: a notification to a queue, and "Object Created" events to EventBridge's default bus.
    setup.putBucketNotificationConfiguration(b -> b.bucket("durable").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.id("all").queueArn("arn:aws:sqs:us-east-1:000000000000:uploads").events(Event.S3_OBJECT_CREATED))
        .eventBridgeConfiguration(EventBridgeConfiguration.builder().build())));
    String createdUrl = sqs.createQueue(b -> b.queueName(CREATED_QUEUE)).queueUrl();
    EventBridgeClient events = harness.events(first, true);
    events.putRule(b -> b.name("durable-s3").eventPattern(
        "{\"source\":[\"aws.s3\"],\"detail-type\":[\"Object Created\"],\"detail\":{\"bucket\":{\"name\":[\"durable\"]}}}"));
    events.putTargets(b -> b.rule("durable-s3").targets(Target.builder().id("q")
        .arn("arn:aws:sqs:us-east-1:000000000000:" + CREATED_QUEUE).build()));
    S3Client load = harness.s3(first, false);
    harness.load(UPLOADERS, (thread, n) -> upload(load, thread, n));
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> acknowledged.size() >= 60);
    acknowledgeSchedules(setup, state);
    harness.killDuringLoad(first);

    ServerProcess second = start("second.log");
    S3Client after = harness.s3(second, true);
    assertBucketStateBack(after, state);
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      byte[] body = after.getObjectAsBytes(b -> b.bucket("durable").key(e.getKey())).asByteArray();
      assertThat(md5(body)).as("acknowledged %s reads back byte-identical", e.getKey()).isEqualTo(e.getValue());
    }
    List<S3Object> listed = after.listObjectsV2Paginator(b -> b.bucket("durable")).contents().stream().toList();
    for (S3Object o : listed) {
      assertThat(attempted).as("listed %s was uploaded", o.key()).containsKey(o.key());
      byte[] body = after.getObjectAsBytes(b -> b.bucket("durable").key(o.key())).asByteArray();
      assertThat(body).as("%s has its size", o.key()).hasSize(o.size().intValue());
      assertThat(attempted.get(o.key())).as("%s holds bytes that were sent for it", o.key()).contains(md5(body));
    }
    {
      long segments = 0;
      for (S3Object o : listed) segments += o.eTag().contains("-") ? Long.parseLong(o.eTag().replaceAll(".*-|\"", "")) : 1;
      // An upload the kill interrupted keeps its uploaded parts until it is completed or aborted, as on S3.
      long pendingParts = 0;
      for (var u : after.listMultipartUploads(b -> b.bucket("durable")).uploads()) {
        pendingParts += after.listParts(b -> b.bucket("durable").key(u.key()).uploadId(u.uploadId())).parts().size();
      }
      // The small objects of the other buckets are one blob per version; the replica is counted as its own.
      for (String bucket : List.of("kept-versions", "kept-configs", "kept-archive", "kept-source", "kept-replica")) {
        segments += after.listObjectVersions(b -> b.bucket(bucket)).versions().size();
      }
      // The node sweeps what no object names on a worker after its start: give it a moment.
      long expected = segments + pendingParts;
      Path objects = harness.dataDir().resolve("objects");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(blobFiles(objects)).as("blob files left after the restart: one per segment of a listed object or pending part")
              .isEqualTo(expected));
    }

    SqsClient queue = harness.sqs(second);
    KillNineHarness.awaitArrivals(queue, queueUrl, acknowledged.keySet(), m -> {
      JsonObject event = new JsonObject(m.body());
      return event.containsKey("Records")
          ? event.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key") : null;
    }, Duration.ofSeconds(30), false, "notifications of uploads");
    Set<String> created = KillNineHarness.awaitArrivals(queue, createdUrl, acknowledged.keySet(), m -> {
      JsonObject event = new JsonObject(m.body());
      assertThat(event.getString("detail-type")).isEqualTo("Object Created");
      return event.getJsonObject("detail").getJsonObject("object").getString("key");
    }, Duration.ofSeconds(60), true, "Object Created events of uploads");
    KillNineHarness.assertNothingUnknown(created, attempted.keySet(), "Object Created events for keys");
    System.out.printf("S3 kill -9 after %d acknowledged uploads (%d attempted); %d objects after restart%n",
        acknowledged.size(), attempted.size(), listed.size());
  }

  /**
   * What the configuration calls answered before the kill; after the restart the same calls must
   * answer exactly the same.
   */
  private record AcknowledgedState(String first, String second, String marker, ListObjectVersionsResponse versions,
      List<Tag> tags, List<CORSRule> cors, List<LifecycleRule> lifecycle, GetObjectAclResponse acl,
      ReplicationConfiguration replication) {}

  /** Versions, a delete marker, bucket configurations and an object ACL, all acknowledged before the load starts. */
  private static AcknowledgedState acknowledgeBucketState(S3Client s3) {
    s3.createBucket(b -> b.bucket("kept-versions"));
    s3.putBucketVersioning(b -> b.bucket("kept-versions").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    String first = s3.putObject(b -> b.bucket("kept-versions").key("doc"), RequestBody.fromString("first")).versionId();
    String second = s3.putObject(b -> b.bucket("kept-versions").key("doc"), RequestBody.fromString("second")).versionId();
    DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket("kept-versions").key("doc"));
    assertThat(deleted.deleteMarker()).isTrue();
    ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("kept-versions"));

    s3.createBucket(b -> b.bucket("kept-configs"));
    s3.putBucketTagging(b -> b.bucket("kept-configs").tagging(t -> t.tagSet(
        Tag.builder().key("team").value("storage").build(), Tag.builder().key("cost centre").value("42").build())));
    s3.putBucketCors(b -> b.bucket("kept-configs").corsConfiguration(c -> c.corsRules(CORSRule.builder().id("web")
        .allowedOrigins("https://example.com").allowedMethods("GET", "PUT").allowedHeaders("*")
        .exposeHeaders("ETag").maxAgeSeconds(600).build())));
    s3.putBucketLifecycleConfiguration(b -> b.bucket("kept-configs").lifecycleConfiguration(l -> l.rules(
        LifecycleRule.builder().id("old-logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
            .expiration(e -> e.days(30)).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7)).build())));
    s3.putObject(b -> b.bucket("kept-configs").key("shared"), RequestBody.fromString("for everyone"));
    s3.putObjectAcl(b -> b.bucket("kept-configs").key("shared").acl(ObjectCannedACL.PUBLIC_READ));

    s3.createBucket(b -> b.bucket("kept-archive"));
    s3.putObject(b -> b.bucket("kept-archive").key("frozen").storageClass(StorageClass.GLACIER),
        RequestBody.fromString("cold bytes"));

    s3.createBucket(b -> b.bucket("kept-source"));
    s3.putBucketVersioning(b -> b.bucket("kept-source").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.createBucket(b -> b.bucket("kept-replica"));
    s3.putBucketVersioning(b -> b.bucket("kept-replica").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putBucketReplication(b -> b.bucket("kept-source").replicationConfiguration(c -> c.role(ROLE).rules(
        ReplicationRule.builder().id("all").priority(1).status(ReplicationRuleStatus.ENABLED).filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
            .destination(d -> d.bucket("arn:aws:s3:::kept-replica")).build())));

    AcknowledgedState state = new AcknowledgedState(first, second, deleted.versionId(), versions,
        s3.getBucketTagging(b -> b.bucket("kept-configs")).tagSet(),
        s3.getBucketCors(b -> b.bucket("kept-configs")).corsRules(),
        s3.getBucketLifecycleConfiguration(b -> b.bucket("kept-configs")).rules(),
        s3.getObjectAcl(b -> b.bucket("kept-configs").key("shared")),
        s3.getBucketReplication(b -> b.bucket("kept-source")).replicationConfiguration());
    // The answers read back before the kill must be what was put, or comparing after the restart proves little.
    assertThat(state.versions().versions()).extracting(ObjectVersion::versionId).containsExactly(second, first);
    assertThat(state.versions().deleteMarkers()).extracting(DeleteMarkerEntry::versionId).containsExactly(deleted.versionId());
    assertThat(state.tags()).extracting(Tag::key).containsExactlyInAnyOrder("team", "cost centre");
    assertThat(state.cors()).singleElement().satisfies(r -> assertThat(r.maxAgeSeconds()).isEqualTo(600));
    assertThat(state.lifecycle()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("old-logs"));
    assertThat(state.acl().grants()).anySatisfy(g -> {
      assertThat(g.grantee().uri()).isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers");
      assertThat(g.permission()).isEqualTo(Permission.READ);
    });
    assertThat(state.replication().rules()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("all"));
    return state;
  }

  /**
   * Work that the server finishes later, asked for while the load runs and so just before the kill:
   * a restore still under way and a write whose replication task is in the outbox (or just done).
   */
  private static void acknowledgeSchedules(S3Client s3, AcknowledgedState state) {
    RestoreObjectResponse restore = s3.restoreObject(b -> b.bucket("kept-archive").key("frozen").restoreRequest(r -> r.days(2)));
    assertThat(restore.sdkHttpResponse().statusCode()).as("a restore that starts").isEqualTo(202);
    assertThat(s3.headObject(b -> b.bucket("kept-archive").key("frozen")).restore()).isEqualTo("ongoing-request=\"true\"");
    s3.putObject(b -> b.bucket("kept-source").key("replicated"), RequestBody.fromString("copied across"));
  }

  private static void assertBucketStateBack(S3Client s3, AcknowledgedState state) {
    ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("kept-versions"));
    assertThat(versions.versions()).as("versions by id, ETag, size, date").isEqualTo(state.versions().versions());
    assertThat(versions.deleteMarkers()).as("the delete marker, still latest").isEqualTo(state.versions().deleteMarkers());
    assertThat(versions.deleteMarkers().get(0).isLatest()).isTrue();
    assertThat(s3.getObjectAsBytes(b -> b.bucket("kept-versions").key("doc").versionId(state.first())).asUtf8String())
        .isEqualTo("first");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("kept-versions").key("doc").versionId(state.second())).asUtf8String())
        .isEqualTo("second");
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("kept-versions").key("doc")))
        .as("the key reads as deleted").isInstanceOf(NoSuchKeyException.class);

    assertThat(s3.getBucketTagging(b -> b.bucket("kept-configs")).tagSet()).isEqualTo(state.tags());
    assertThat(s3.getBucketCors(b -> b.bucket("kept-configs")).corsRules()).isEqualTo(state.cors());
    assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket("kept-configs")).rules()).isEqualTo(state.lifecycle());
    GetObjectAclResponse acl = s3.getObjectAcl(b -> b.bucket("kept-configs").key("shared"));
    assertThat(acl.owner()).isEqualTo(state.acl().owner());
    assertThat(acl.grants()).isEqualTo(state.acl().grants());
    assertThat(s3.getBucketReplication(b -> b.bucket("kept-source")).replicationConfiguration()).isEqualTo(state.replication());

    // Both finish from what the store holds: the restore's schedule entry and the replication task.
    Awaitility.await("the restore completes").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> s3.headObject(b -> b.bucket("kept-archive").key("frozen")).restore(),
            r -> r != null && r.startsWith("ongoing-request=\"false\", expiry-date="));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("kept-archive").key("frozen")).asUtf8String()).isEqualTo("cold bytes");
    Awaitility.await("the replica arrives").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreException(NoSuchKeyException.class)
        .until(() -> s3.getObjectAsBytes(b -> b.bucket("kept-replica").key("replicated")).asUtf8String(), "copied across"::equals);
    assertThat(s3.headObject(b -> b.bucket("kept-replica").key("replicated")).replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
    Awaitility.await("the source turns COMPLETED").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> s3.headObject(b -> b.bucket("kept-source").key("replicated")).replicationStatus() == ReplicationStatus.COMPLETED);
  }

  private void upload(S3Client s3, int thread, int n) {
    String key = "t" + thread + "/o" + n;
    if (n % 5 == 4) {
      byte[] a = random(5 * 1024 * 1024);
      byte[] b = random(ThreadLocalRandom.current().nextInt(1, 1 << 20));
      attempted.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(md5(concat(a, b)));
      String id = s3.createMultipartUpload(r -> r.bucket("durable").key(key)).uploadId();
      String e1 = s3.uploadPart(r -> r.bucket("durable").key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(a)).eTag();
      String e2 = s3.uploadPart(r -> r.bucket("durable").key(key).uploadId(id).partNumber(2), RequestBody.fromBytes(b)).eTag();
      s3.completeMultipartUpload(r -> r.bucket("durable").key(key).uploadId(id)
          .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2))));
      acknowledged.put(key, md5(concat(a, b)));
    } else {
      byte[] body = random(ThreadLocalRandom.current().nextInt(1024, 3 << 20));
      attempted.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(md5(body));
      s3.putObject(r -> r.bucket("durable").key(key), RequestBody.fromBytes(body));
      acknowledged.put(key, md5(body));
    }
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long blobFiles(Path objects) throws java.io.IOException {
    try (Stream<Path> blobs = Files.walk(objects)) {
      return blobs.filter(Files::isRegularFile).count();
    }
  }
}
