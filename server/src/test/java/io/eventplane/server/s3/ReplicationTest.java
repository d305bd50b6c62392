package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.config.StorageSettings;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Bucket replication through the SDK v2: the configuration's checks, objects copied to the
 * destination (often another node's bucket when clustered) with their status going from PENDING to
 * COMPLETED, REPLICA on the copy, and the failure event.
 */
class ReplicationTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ROLE = "arn:aws:iam::000000000000:role/replication";

  private static S3Client s3() {
    return server.s3();
  }

  private static void versionedBucket(String name) {
    s3().createBucket(b -> b.bucket(name));
    s3().putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  private static ReplicationRule.Builder rule(String id, int priority, String prefix, String destination) {
    return ReplicationRule.builder().id(id).priority(priority).status(ReplicationRuleStatus.ENABLED)
        .filter(f -> f.prefix(prefix))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
        .destination(d -> d.bucket("arn:aws:s3:::" + destination));
  }

  private static void replicate(String source, ReplicationRule... rules) {
    s3().putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c.role(ROLE).rules(rules)));
  }

  private static S3Exception error(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static void assertError(S3Exception e, int status, String code, String message) {
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
  }

  private static ReplicationStatus statusOf(String bucket, String key) {
    return s3().headObject(b -> b.bucket(bucket).key(key)).replicationStatus();
  }

  private static void awaitStatus(String bucket, String key, ReplicationStatus status) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> statusOf(bucket, key) == status);
  }

  private static String queue(String name) {
    return server.sqs().createQueue(b -> b.queueName(name)).queueUrl();
  }

  /** The next event of the queue other than the s3:TestEvent of a saved configuration. */
  private static JsonObject nextRecord(String queueUrl) {
    for (int i = 0; i < 15; i++) {
      List<Message> got = server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
      for (Message m : got) {
        server.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        JsonObject body = new JsonObject(m.body());
        if (body.containsKey("Records")) return body.getJsonArray("Records").getJsonObject(0);
      }
    }
    throw new AssertionError("no event reached " + queueUrl);
  }

  @Test
  void configurationIsSavedReadAndDeleted() {
    versionedBucket("repl-crud-src");
    versionedBucket("repl-crud-dst");
    S3Exception none = error(() -> s3().getBucketReplication(b -> b.bucket("repl-crud-src")));
    assertError(none, 404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found");

    ReplicationRule tagged = ReplicationRule.builder().id("logs").priority(2).status(ReplicationRuleStatus.ENABLED)
        .filter(f -> f.and(a -> a.prefix("logs/").tags(t -> t.key("team").value("ops"), t -> t.key("keep").value("yes"))))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
        .destination(d -> d.bucket("arn:aws:s3:::repl-crud-dst").storageClass(StorageClass.STANDARD_IA).account("000000000000"))
        .existingObjectReplication(e -> e.status("Disabled")).build();
    ReplicationRule noId = ReplicationRule.builder().priority(1).status(ReplicationRuleStatus.DISABLED)
        .filter(f -> f.prefix("all/"))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED))
        .destination(d -> d.bucket("arn:aws:s3:::repl-crud-dst")).build();
    replicate("repl-crud-src", tagged, noId);

    ReplicationConfiguration got = s3().getBucketReplication(b -> b.bucket("repl-crud-src")).replicationConfiguration();
    assertThat(got.role()).isEqualTo(ROLE);
    assertThat(got.rules()).hasSize(2);
    ReplicationRule first = got.rules().get(0);
    assertThat(first.id()).isEqualTo("logs");
    assertThat(first.priority()).isEqualTo(2);
    assertThat(first.status()).isEqualTo(ReplicationRuleStatus.ENABLED);
    assertThat(first.filter().and().prefix()).isEqualTo("logs/");
    assertThat(first.filter().and().tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=ops", "keep=yes");
    assertThat(first.destination().bucket()).isEqualTo("arn:aws:s3:::repl-crud-dst");
    assertThat(first.destination().storageClass()).isEqualTo(StorageClass.STANDARD_IA);
    assertThat(first.destination().account()).isEqualTo("000000000000");
    assertThat(first.deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.DISABLED);
    assertThat(first.existingObjectReplication().statusAsString()).isEqualTo("Disabled");
    ReplicationRule second = got.rules().get(1);
    assertThat(second.id()).isNotBlank(); // S3 names a rule given without an ID
    assertThat(second.status()).isEqualTo(ReplicationRuleStatus.DISABLED);
    assertThat(second.filter().prefix()).isEqualTo("all/");
    assertThat(second.deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.ENABLED);

    // Versioning cannot be suspended under a replication configuration.
    S3Exception suspend = error(() -> s3().putBucketVersioning(b -> b.bucket("repl-crud-src")
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED))));
    assertError(suspend, 409, "InvalidBucketState", "A replication configuration is present on this bucket, so you cannot "
        + "change the versioning state. To change the versioning state, first delete the replication configuration.");
    assertThat(s3().getBucketVersioning(b -> b.bucket("repl-crud-src")).status()).isEqualTo(BucketVersioningStatus.ENABLED);

    assertThat(s3().deleteBucketReplication(b -> b.bucket("repl-crud-src")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(error(() -> s3().getBucketReplication(b -> b.bucket("repl-crud-src"))), 404,
        "ReplicationConfigurationNotFoundError", null);
    assertThat(s3().deleteBucketReplication(b -> b.bucket("repl-crud-src")).sdkHttpResponse().statusCode()).isEqualTo(204);
    s3().putBucketVersioning(b -> b.bucket("repl-crud-src").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertError(error(() -> s3().getBucketReplication(b -> b.bucket("repl-crud-none"))), 404, "NoSuchBucket", null);
  }

  @Test
  void configurationsS3RefusesAreRefused() throws Exception {
    s3().createBucket(b -> b.bucket("repl-bad-unversioned"));
    versionedBucket("repl-bad-src");
    versionedBucket("repl-bad-dst");
    s3().createBucket(b -> b.bucket("repl-bad-dst-unversioned"));

    assertError(error(() -> replicate("repl-bad-unversioned", rule("r", 1, "", "repl-bad-dst").build())), 400, "InvalidRequest",
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-missing").build())), 400, "InvalidRequest",
        "Destination bucket must exist.");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-dst-unversioned").build())), 400,
        "InvalidRequest", "Destination bucket must have versioning enabled.");
    assertError(error(() -> replicate("repl-bad-src", rule("a", 1, "a/", "repl-bad-dst").build(),
        rule("b", 1, "b/", "repl-bad-dst").build())), 400, "InvalidArgument",
        "Found overlapping priorities. Please provide a unique priority for each rule.");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-dst").deleteMarkerReplication(
        (software.amazon.awssdk.services.s3.model.DeleteMarkerReplication) null).build())), 400, "InvalidRequest",
        "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema. "
            + "Please refer to S3 Developer Guide for more information.");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-dst").priority(null).build())), 400,
        "InvalidRequest", "Priority must be specified for this version of Cross Region Replication configuration schema. "
            + "Please refer to S3 Developer Guide for more information.");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-dst").filter(f -> f.tag(t -> t.key("k").value("v")))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED)).build())), 400, "InvalidRequest",
        "Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more "
            + "information.");
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-dst").destination(d -> d.bucket("repl-bad-dst"))
        .build())), 400, "InvalidArgument", null);
    assertError(error(() -> replicate("repl-bad-src", rule("r", 1, "", "repl-bad-src").build())), 400, "InvalidRequest", null);
    List<ReplicationRule> tooMany = new ArrayList<>();
    for (int i = 0; i <= 1000; i++) tooMany.add(rule("r" + i, i, "p" + i + "/", "repl-bad-dst").build());
    assertError(error(() -> replicate("repl-bad-src", tooMany.toArray(ReplicationRule[]::new))), 400, "InvalidRequest",
        "The number of replication rules must not exceed the allowed limit of 1000 rules.");
    assertError(error(() -> s3().putBucketReplication(b -> b.bucket("repl-bad-src")
        .replicationConfiguration(c -> c.role(ROLE).rules(List.of())))), 400, "MalformedXML", null);
    assertError(error(() -> replicate("repl-bad-nobucket", rule("r", 1, "", "repl-bad-dst").build())), 404, "NoSuchBucket", null);
    // Exactly 1,000 rules are fine.
    replicate("repl-bad-src", tooMany.subList(0, 1000).toArray(ReplicationRule[]::new));
    assertThat(s3().getBucketReplication(b -> b.bucket("repl-bad-src")).replicationConfiguration().rules()).hasSize(1000);

    HttpClient http = HttpClient.newHttpClient();
    for (String body : new String[] {"<ReplicationConfiguration><Role>r</Role><Rule>", "<Nonsense/>",
        "<ReplicationConfiguration><Role>r</Role><Rule><Status>On</Status><Destination><Bucket>arn:aws:s3:::repl-bad-dst"
            + "</Bucket></Destination></Rule></ReplicationConfiguration>",
        "<ReplicationConfiguration><Role>r</Role><Rule><Status>Enabled</Status></Rule></ReplicationConfiguration>",
        "<ReplicationConfiguration><Role>r</Role><Rule><Status>Enabled</Status><Priority>x</Priority><Filter/>"
            + "<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>"
            + "arn:aws:s3:::repl-bad-dst</Bucket></Destination></Rule></ReplicationConfiguration>",
        "<ReplicationConfiguration><Role>r</Role><Rule><Status>Enabled</Status><Priority>1</Priority><Filter><Prefix>a"
            + "</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter><DeleteMarkerReplication><Status>Disabled</Status>"
            + "</DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::repl-bad-dst</Bucket></Destination></Rule>"
            + "</ReplicationConfiguration>"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/repl-bad-src?replication"))
          .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.body()).as(body).contains("<Code>MalformedXML</Code>");
    }
    // What was saved before stays.
    assertThat(s3().getBucketReplication(b -> b.bucket("repl-bad-src")).replicationConfiguration().rules()).hasSize(1000);
  }

  @Test
  void objectsAreReplicatedByteForByteAndMarked() {
    String destinationEvents = queue("repl-obj-dst-events");
    versionedBucket("repl-obj-src");
    versionedBucket("repl-obj-dst");
    s3().putBucketNotificationConfiguration(b -> b.bucket("repl-obj-dst").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.id("replicas").queueArn("arn:aws:sqs:us-east-1:000000000000:repl-obj-dst-events").events(Event.S3_OBJECT_CREATED))));
    replicate("repl-obj-src", rule("docs", 1, "docs/", "repl-obj-dst").build());

    byte[] body = new byte[300_000];
    ThreadLocalRandom.current().nextBytes(body);
    String etag = s3().putObject(b -> b.bucket("repl-obj-src").key("docs/a.bin").contentType("application/x-test")
        .cacheControl("max-age=60").contentDisposition("attachment").metadata(Map.of("origin", "test"))
        .tagging("team=ops&keep=yes").checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(body)).eTag();
    // Right after the write the copy may or may not have happened yet; either way the source says where it is.
    assertThat(statusOf("repl-obj-src", "docs/a.bin")).isIn(ReplicationStatus.PENDING, ReplicationStatus.COMPLETED);
    awaitStatus("repl-obj-src", "docs/a.bin", ReplicationStatus.COMPLETED);

    ResponseBytes<GetObjectResponse> replica = s3().getObjectAsBytes(b -> b.bucket("repl-obj-dst").key("docs/a.bin")
        .checksumMode(ChecksumMode.ENABLED));
    assertThat(replica.asByteArray()).isEqualTo(body);
    GetObjectResponse r = replica.response();
    assertThat(r.eTag()).isEqualTo(etag);
    assertThat(r.replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
    assertThat(r.storageClass()).isNull(); // STANDARD, as the source: the rule names no storage class
    assertThat(r.contentType()).isEqualTo("application/x-test");
    assertThat(r.cacheControl()).isEqualTo("max-age=60");
    assertThat(r.contentDisposition()).isEqualTo("attachment");
    assertThat(r.metadata()).containsExactly(Map.entry("origin", "test"));
    assertThat(r.checksumCRC32()).isEqualTo(s3().headObject(b -> b.bucket("repl-obj-src").key("docs/a.bin")
        .checksumMode(ChecksumMode.ENABLED)).checksumCRC32()).isNotNull();
    assertThat(r.tagCount()).isEqualTo(2);
    assertThat(s3().getObjectTagging(b -> b.bucket("repl-obj-dst").key("docs/a.bin")).tagSet())
        .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=ops", "keep=yes");
    HeadObjectResponse sourceHead = s3().headObject(b -> b.bucket("repl-obj-src").key("docs/a.bin"));
    assertThat(s3().headObject(b -> b.bucket("repl-obj-dst").key("docs/a.bin")).lastModified())
        .isEqualTo(sourceHead.lastModified());

    // The destination notifies the replica's creation itself.
    JsonObject created = nextRecord(destinationEvents);
    assertThat(created.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(created.getJsonObject("s3").getJsonObject("bucket").getString("name")).isEqualTo("repl-obj-dst");
    assertThat(created.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("docs/a.bin");

    // A replica is not replicated again, even from a bucket that replicates.
    versionedBucket("repl-obj-third");
    replicate("repl-obj-dst", rule("onward", 1, "", "repl-obj-third").build());
    s3().putObject(b -> b.bucket("repl-obj-src").key("docs/b.txt"), RequestBody.fromString("second"));
    awaitStatus("repl-obj-src", "docs/b.txt", ReplicationStatus.COMPLETED);
    assertThat(statusOf("repl-obj-dst", "docs/b.txt")).isEqualTo(ReplicationStatus.REPLICA);
    assertThatThrownBy(() -> s3().headObject(b -> b.bucket("repl-obj-third").key("docs/b.txt"))).isInstanceOf(NoSuchKeyException.class);

    // An object written to the destination directly is replicated onward by its own configuration.
    s3().putObject(b -> b.bucket("repl-obj-dst").key("own.txt"), RequestBody.fromString("own"));
    awaitStatus("repl-obj-dst", "own.txt", ReplicationStatus.COMPLETED);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-obj-third").key("own.txt")).asUtf8String()).isEqualTo("own");

    // Deleting a source object leaves the replica: the rule does not replicate delete markers.
    s3().deleteObject(b -> b.bucket("repl-obj-src").key("docs/a.bin"));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-obj-dst").key("docs/a.bin")).asByteArray()).isEqualTo(body);
  }

  @Test
  void onlyKeysTheRulesMatchAreReplicated() {
    versionedBucket("repl-filter-src");
    versionedBucket("repl-filter-dst");
    ReplicationRule byTag = ReplicationRule.builder().id("tagged").priority(2).status(ReplicationRuleStatus.ENABLED)
        .filter(f -> f.tag(t -> t.key("replicate").value("yes")))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.DISABLED))
        .destination(d -> d.bucket("arn:aws:s3:::repl-filter-dst")).build();
    ReplicationRule disabled = rule("off", 3, "off/", "repl-filter-dst").status(ReplicationRuleStatus.DISABLED).build();
    replicate("repl-filter-src", rule("in", 1, "in/", "repl-filter-dst").build(), byTag, disabled);

    s3().putObject(b -> b.bucket("repl-filter-src").key("out/x.txt"), RequestBody.fromString("not replicated"));
    s3().putObject(b -> b.bucket("repl-filter-src").key("off/x.txt"), RequestBody.fromString("rule disabled"));
    s3().putObject(b -> b.bucket("repl-filter-src").key("other/t.txt").tagging("replicate=no"), RequestBody.fromString("no"));
    s3().putObject(b -> b.bucket("repl-filter-src").key("other/y.txt").tagging("replicate=yes"), RequestBody.fromString("yes"));
    s3().putObject(b -> b.bucket("repl-filter-src").key("in/x.txt"), RequestBody.fromString("replicated"));
    awaitStatus("repl-filter-src", "in/x.txt", ReplicationStatus.COMPLETED);
    awaitStatus("repl-filter-src", "other/y.txt", ReplicationStatus.COMPLETED);

    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-filter-dst").key("in/x.txt")).asUtf8String()).isEqualTo("replicated");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-filter-dst").key("other/y.txt")).asUtf8String()).isEqualTo("yes");
    for (String key : new String[] {"out/x.txt", "off/x.txt", "other/t.txt"}) {
      assertThat(statusOf("repl-filter-src", key)).as(key).isNull();
      assertThatThrownBy(() -> s3().headObject(b -> b.bucket("repl-filter-dst").key(key))).as(key)
          .isInstanceOf(NoSuchKeyException.class);
    }
    assertThat(s3().listObjectsV2(b -> b.bucket("repl-filter-dst")).contents()).extracting(o -> o.key())
        .containsExactly("in/x.txt", "other/y.txt");
  }

  @Test
  void anObjectGoesToEveryDestinationItsRulesName() {
    versionedBucket("repl-multi-src");
    versionedBucket("repl-multi-one");
    versionedBucket("repl-multi-two");
    replicate("repl-multi-src", rule("one", 1, "", "repl-multi-one").build(), rule("two", 2, "shared/", "repl-multi-two").build());
    for (int i = 0; i < 5; i++) {
      String key = "shared/" + i;
      s3().putObject(b -> b.bucket("repl-multi-src").key(key), RequestBody.fromString("body " + key));
    }
    s3().putObject(b -> b.bucket("repl-multi-src").key("only-one"), RequestBody.fromString("one"));
    for (int i = 0; i < 5; i++) awaitStatus("repl-multi-src", "shared/" + i, ReplicationStatus.COMPLETED);
    awaitStatus("repl-multi-src", "only-one", ReplicationStatus.COMPLETED);
    for (int i = 0; i < 5; i++) {
      String key = "shared/" + i;
      assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-multi-one").key(key)).asUtf8String()).isEqualTo("body " + key);
      assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-multi-two").key(key)).asUtf8String()).isEqualTo("body " + key);
    }
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-multi-one").key("only-one")).asUtf8String()).isEqualTo("one");
    assertThatThrownBy(() -> s3().headObject(b -> b.bucket("repl-multi-two").key("only-one"))).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void multipartUploadsAndCopiesAreReplicated() {
    versionedBucket("repl-mp-src");
    versionedBucket("repl-mp-dst");
    replicate("repl-mp-src", rule("all", 1, "", "repl-mp-dst").destination(d -> d.bucket("arn:aws:s3:::repl-mp-dst")
        .storageClass(StorageClass.STANDARD_IA)).build());

    byte[] part1 = new byte[5 * 1024 * 1024];
    byte[] part2 = "the last part".getBytes(StandardCharsets.UTF_8);
    ThreadLocalRandom.current().nextBytes(part1);
    String uploadId = s3().createMultipartUpload(b -> b.bucket("repl-mp-src").key("big.bin").contentType("video/mp4")).uploadId();
    String e1 = s3().uploadPart(b -> b.bucket("repl-mp-src").key("big.bin").uploadId(uploadId).partNumber(1),
        RequestBody.fromBytes(part1)).eTag();
    String e2 = s3().uploadPart(b -> b.bucket("repl-mp-src").key("big.bin").uploadId(uploadId).partNumber(2),
        RequestBody.fromBytes(part2)).eTag();
    String etag = s3().completeMultipartUpload(b -> b.bucket("repl-mp-src").key("big.bin").uploadId(uploadId)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
            CompletedPart.builder().partNumber(2).eTag(e2).build()))).eTag();
    awaitStatus("repl-mp-src", "big.bin", ReplicationStatus.COMPLETED);

    ResponseBytes<GetObjectResponse> replica = s3().getObjectAsBytes(b -> b.bucket("repl-mp-dst").key("big.bin"));
    byte[] expected = new byte[part1.length + part2.length];
    System.arraycopy(part1, 0, expected, 0, part1.length);
    System.arraycopy(part2, 0, expected, part1.length, part2.length);
    assertThat(replica.asByteArray()).isEqualTo(expected);
    assertThat(replica.response().eTag()).isEqualTo(etag).endsWith("-2\"");
    assertThat(replica.response().contentType()).isEqualTo("video/mp4");
    assertThat(replica.response().replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
    assertThat(replica.response().storageClass()).isEqualTo(software.amazon.awssdk.services.s3.model.StorageClass.STANDARD_IA);
    assertThat(s3().headObject(b -> b.bucket("repl-mp-src").key("big.bin")).storageClass()).isNull(); // STANDARD
    // The replica keeps the parts: part 2 reads alone.
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-mp-dst").key("big.bin").partNumber(2)).asUtf8String())
        .isEqualTo("the last part");

    // A copy is a new object of the source bucket, replicated in turn; the copied status is not kept.
    s3().copyObject(b -> b.sourceBucket("repl-mp-src").sourceKey("big.bin").destinationBucket("repl-mp-src").destinationKey("copy.bin"));
    awaitStatus("repl-mp-src", "copy.bin", ReplicationStatus.COMPLETED);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-mp-dst").key("copy.bin")).asByteArray()).isEqualTo(expected);
    // Copying a replica within its bucket makes an ordinary object.
    s3().copyObject(b -> b.sourceBucket("repl-mp-dst").sourceKey("big.bin").destinationBucket("repl-mp-dst").destinationKey("mine.bin"));
    assertThat(statusOf("repl-mp-dst", "mine.bin")).isNull();
  }

  @Test
  void aDestinationDeletedMeanwhileFailsTheObjectWithAnEvent() {
    String events = queue("repl-fail-events");
    versionedBucket("repl-fail-src");
    versionedBucket("repl-fail-dst");
    replicate("repl-fail-src", rule("to-dst", 7, "", "repl-fail-dst").build());
    s3().putBucketNotificationConfiguration(b -> b.bucket("repl-fail-src").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.id("failures").queueArn("arn:aws:sqs:us-east-1:000000000000:repl-fail-events")
            .events(Event.S3_REPLICATION_OPERATION_FAILED_REPLICATION))));
    s3().deleteBucket(b -> b.bucket("repl-fail-dst"));

    s3().putObject(b -> b.bucket("repl-fail-src").key("lost.txt"), RequestBody.fromString("nowhere to go"));
    awaitStatus("repl-fail-src", "lost.txt", ReplicationStatus.FAILED);

    JsonObject record = nextRecord(events);
    assertThat(record.getString("eventVersion")).isEqualTo("2.2");
    assertThat(record.getString("eventName")).isEqualTo("Replication:OperationFailedReplication");
    assertThat(record.getJsonObject("userIdentity").getString("principalId")).isEqualTo("s3.amazonaws.com");
    assertThat(record.getJsonObject("s3").getString("configurationId")).isEqualTo("failures");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("lost.txt");
    JsonObject data = record.getJsonObject("replicationEventData");
    assertThat(data.getString("replicationRuleId")).isEqualTo("to-dst");
    assertThat(data.getString("destinationBucket")).isEqualTo("arn:aws:s3:::repl-fail-dst");
    assertThat(data.getString("s3Operation")).isEqualTo("OBJECT_PUT");
    assertThat(data.getString("failureReason")).isEqualTo("DstBucketNotFound");
    assertThat(data.getString("requestTime")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  }

  // ---- delete markers ----

  private static ReplicationRule markerRule(String id, String destination, DeleteMarkerReplicationStatus markers) {
    return rule(id, 1, "", destination).deleteMarkerReplication(d -> d.status(markers)).build();
  }

  private static ListObjectVersionsResponse versionsOf(String bucket, String key) {
    return s3().listObjectVersions(b -> b.bucket(bucket).prefix(key));
  }

  /** The key's current version on the destination is a delete marker: HEAD answers 404 with x-amz-delete-marker. */
  private static boolean hiddenByMarker(String bucket, String key) {
    try {
      s3().headObject(b -> b.bucket(bucket).key(key));
      return false;
    } catch (NoSuchKeyException e) {
      return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").orElse("").equals("true");
    }
  }

  /**
   * Writes a key the rules replicate and waits until it is on the destination: the replication
   * tasks queued before it have been delivered by then, so what did not reach the destination was
   * never going to.
   */
  private static void barrier(String source, String destination) {
    String key = "barrier-" + ThreadLocalRandom.current().nextInt(1_000_000);
    s3().putObject(b -> b.bucket(source).key(key), RequestBody.fromString("after"));
    awaitStatus(source, key, ReplicationStatus.COMPLETED);
    assertThat(s3().getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String()).isEqualTo("after");
  }

  @Test
  void aDeleteMarkerIsReplicatedWhenTheRuleSaysSo() {
    String destinationEvents = queue("repl-dm-dst-events");
    versionedBucket("repl-dm-src");
    versionedBucket("repl-dm-dst");
    s3().putBucketNotificationConfiguration(b -> b.bucket("repl-dm-dst").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.id("markers").queueArn("arn:aws:sqs:us-east-1:000000000000:repl-dm-dst-events")
            .events(Event.S3_OBJECT_REMOVED_DELETE_MARKER_CREATED))));
    replicate("repl-dm-src", markerRule("markers-too", "repl-dm-dst", DeleteMarkerReplicationStatus.ENABLED));

    String sourceVersion = s3().putObject(b -> b.bucket("repl-dm-src").key("doc.txt"), RequestBody.fromString("v1")).versionId();
    awaitStatus("repl-dm-src", "doc.txt", ReplicationStatus.COMPLETED);
    String replicaVersion = versionsOf("repl-dm-dst", "doc.txt").versions().get(0).versionId();

    var deleted = s3().deleteObject(b -> b.bucket("repl-dm-src").key("doc.txt"));
    assertThat(deleted.deleteMarker()).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> hiddenByMarker("repl-dm-dst", "doc.txt"));

    ListObjectVersionsResponse destination = versionsOf("repl-dm-dst", "doc.txt");
    assertThat(destination.deleteMarkers()).extracting(DeleteMarkerEntry::key, DeleteMarkerEntry::isLatest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("doc.txt", true));
    assertThat(destination.versions()).extracting(ObjectVersion::versionId, ObjectVersion::isLatest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(replicaVersion, false));
    // The marker only hides the object: its version is still readable by id on both sides.
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-dm-src").key("doc.txt").versionId(sourceVersion)).asUtf8String())
        .isEqualTo("v1");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-dm-dst").key("doc.txt").versionId(replicaVersion)).asUtf8String())
        .isEqualTo("v1");

    // The destination notifies its own marker.
    JsonObject record = nextRecord(destinationEvents);
    assertThat(record.getString("eventName")).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
    assertThat(record.getJsonObject("s3").getJsonObject("bucket").getString("name")).isEqualTo("repl-dm-dst");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("doc.txt");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("versionId"))
        .isEqualTo(versionsOf("repl-dm-dst", "doc.txt").deleteMarkers().get(0).versionId());

    // DeleteObjects' markers go the same way.
    s3().putObject(b -> b.bucket("repl-dm-src").key("many.txt"), RequestBody.fromString("m"));
    awaitStatus("repl-dm-src", "many.txt", ReplicationStatus.COMPLETED);
    s3().deleteObjects(b -> b.bucket("repl-dm-src").delete(d -> d.objects(o -> o.key("many.txt"))));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> hiddenByMarker("repl-dm-dst", "many.txt"));

    // A key written again after its delete ends up live on the destination.
    s3().putObject(b -> b.bucket("repl-dm-src").key("doc.txt"), RequestBody.fromString("v2"));
    awaitStatus("repl-dm-src", "doc.txt", ReplicationStatus.COMPLETED);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-dm-dst").key("doc.txt")).asUtf8String()).isEqualTo("v2");
  }

  @Test
  void permanentDeletesAreNotReplicated() {
    versionedBucket("repl-perm-src");
    versionedBucket("repl-perm-dst");
    replicate("repl-perm-src", markerRule("markers-too", "repl-perm-dst", DeleteMarkerReplicationStatus.ENABLED));
    String version = s3().putObject(b -> b.bucket("repl-perm-src").key("kept.txt"), RequestBody.fromString("kept")).versionId();
    awaitStatus("repl-perm-src", "kept.txt", ReplicationStatus.COMPLETED);

    // Deleting a version by id is not replicated, as on S3: the destination is safe from malicious deletes.
    s3().deleteObject(b -> b.bucket("repl-perm-src").key("kept.txt").versionId(version));
    assertThat(versionsOf("repl-perm-src", "kept.txt").versions()).isEmpty();
    barrier("repl-perm-src", "repl-perm-dst");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-perm-dst").key("kept.txt")).asUtf8String()).isEqualTo("kept");

    // Nor is removing a delete marker by id: the destination keeps its marker.
    s3().putObject(b -> b.bucket("repl-perm-src").key("undo.txt"), RequestBody.fromString("undo"));
    awaitStatus("repl-perm-src", "undo.txt", ReplicationStatus.COMPLETED);
    String marker = s3().deleteObject(b -> b.bucket("repl-perm-src").key("undo.txt")).versionId();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> hiddenByMarker("repl-perm-dst", "undo.txt"));
    s3().deleteObject(b -> b.bucket("repl-perm-src").key("undo.txt").versionId(marker));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-perm-src").key("undo.txt")).asUtf8String()).isEqualTo("undo");
    barrier("repl-perm-src", "repl-perm-dst");
    assertThat(hiddenByMarker("repl-perm-dst", "undo.txt")).isTrue();
    assertThat(versionsOf("repl-perm-dst", "undo.txt").deleteMarkers()).hasSize(1);
  }

  @Test
  void deleteMarkersStayOnTheSourceWhenTheRuleDisablesThem() {
    versionedBucket("repl-nodm-src");
    versionedBucket("repl-nodm-dst");
    replicate("repl-nodm-src", markerRule("objects-only", "repl-nodm-dst", DeleteMarkerReplicationStatus.DISABLED));
    s3().putObject(b -> b.bucket("repl-nodm-src").key("stays.txt"), RequestBody.fromString("stays"));
    awaitStatus("repl-nodm-src", "stays.txt", ReplicationStatus.COMPLETED);

    assertThat(s3().deleteObject(b -> b.bucket("repl-nodm-src").key("stays.txt")).deleteMarker()).isTrue();
    assertThat(hiddenByMarker("repl-nodm-src", "stays.txt")).isTrue();
    barrier("repl-nodm-src", "repl-nodm-dst");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("repl-nodm-dst").key("stays.txt")).asUtf8String()).isEqualTo("stays");
    assertThat(versionsOf("repl-nodm-dst", "stays.txt").deleteMarkers()).isEmpty();
  }

  @Test
  void aFirstSchemaRuleReplicatesDeleteMarkersAsS3Did() {
    versionedBucket("repl-v1-src");
    versionedBucket("repl-v1-dst");
    @SuppressWarnings("deprecation")
    ReplicationRule v1 = ReplicationRule.builder().id("v1").prefix("").status(ReplicationRuleStatus.ENABLED)
        .destination(d -> d.bucket("arn:aws:s3:::repl-v1-dst")).build();
    replicate("repl-v1-src", v1);
    s3().putObject(b -> b.bucket("repl-v1-src").key("old.txt"), RequestBody.fromString("old"));
    awaitStatus("repl-v1-src", "old.txt", ReplicationStatus.COMPLETED);
    s3().deleteObject(b -> b.bucket("repl-v1-src").key("old.txt"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> hiddenByMarker("repl-v1-dst", "old.txt"));
  }

  // ---- across a restart ----

  /**
   * Tasks wait out the replication delay by the injected clock, which the first server never sees
   * move: whatever it wrote is still PENDING when it stops, so only the second server's resuming
   * the partition's outbox can replicate it.
   */
  @Test
  void pendingReplicationResumesAfterARestart() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-replication");
    MutableClock clock = new MutableClock();
    Duration delay = Duration.ofMinutes(5);
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir)
        .withS3(new StorageSettings(5_000, 86_400_000L, 60_000, delay.toMillis()));
    EventplaneServer first = EventplaneServer.start(config, clock);
    try (S3Client client = client(first.port())) {
      for (String b : List.of("repl-restart-src", "repl-restart-dst")) {
        client.createBucket(r -> r.bucket(b));
        client.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      }
      client.putBucketReplication(r -> r.bucket("repl-restart-src").replicationConfiguration(c -> c.role(ROLE)
          .rules(markerRule("all", "repl-restart-dst", DeleteMarkerReplicationStatus.ENABLED))));
      client.putObject(r -> r.bucket("repl-restart-src").key("waiting.txt"), RequestBody.fromString("waiting"));
      client.putObject(r -> r.bucket("repl-restart-src").key("gone.txt"), RequestBody.fromString("gone"));
      client.deleteObject(r -> r.bucket("repl-restart-src").key("gone.txt"));
      assertThat(client.headObject(r -> r.bucket("repl-restart-src").key("waiting.txt")).replicationStatus())
          .isEqualTo(ReplicationStatus.PENDING);
      assertThatThrownBy(() -> client.headObject(r -> r.bucket("repl-restart-dst").key("waiting.txt")))
          .isInstanceOf(NoSuchKeyException.class);
    } finally {
      first.close();
    }
    clock.advance(delay);
    EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
    try (S3Client client = client(second.port())) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(
          () -> client.headObject(r -> r.bucket("repl-restart-src").key("waiting.txt")).replicationStatus()
              == ReplicationStatus.COMPLETED);
      assertThat(client.getObjectAsBytes(r -> r.bucket("repl-restart-dst").key("waiting.txt")).asUtf8String())
          .isEqualTo("waiting");
      // The object under the marker was superseded before it went; the marker itself is replicated.
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(
          () -> client.listObjectVersions(r -> r.bucket("repl-restart-dst").prefix("gone.txt")).deleteMarkers().size() == 1);
      assertThat(client.listObjectVersions(r -> r.bucket("repl-restart-dst").prefix("gone.txt")).versions()).isEmpty();
    } finally {
      second.close();
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static S3Client client(int port) {
    return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }
}
