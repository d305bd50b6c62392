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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Storage classes, RestoreObject of archived objects and lifecycle rules. Time is the server's
 * clock, which the test moves: a restore takes {@link #RESTORE_DELAY} and a "day" lasts
 * {@link #DAY}, so nothing waits for real days; the sweep and the schedule run every 100 ms.
 */
class StorageClassesAndLifecycleTest {
  static final Duration RESTORE_DELAY = Duration.ofMinutes(1);
  static final Duration DAY = Duration.ofHours(1);
  static final StorageSettings SETTINGS = new StorageSettings(RESTORE_DELAY.toMillis(), DAY.toMillis(), 100);

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withS3(SETTINGS));

  private static final Pattern RESTORED = Pattern.compile(
      "ongoing-request=\"false\", expiry-date=\"([A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT)\"");
  private static final Pattern EXPIRATION = Pattern.compile(
      "expiry-date=\"([A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT)\", rule-id=\"([^\"]+)\"");

  private static S3Client s3() {
    return server.s3();
  }

  private static S3Exception s3Error(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      return e;
    }
    throw new AssertionError("expected an S3 error");
  }

  private static void assertError(S3Exception e, int status, String code, String message) {
    assertThat(e.statusCode()).isEqualTo(status);
    if (code != null) assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
  }

  private static String queueFor(String bucket, String queue, Event... events) {
    String url = server.sqs().createQueue(b -> b.queueName(queue)).queueUrl();
    s3().putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(NotificationConfiguration.builder()
        .queueConfigurations(QueueConfiguration.builder().id("life").queueArn("arn:aws:sqs:us-east-1:000000000000:" + queue)
            .events(events).build()).build()));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    return url;
  }

  /** The next S3 event record on the queue, waiting for it. */
  private static JsonObject next(String url) {
    for (int i = 0; i < 10; i++) {
      List<Message> got = server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages();
      if (!got.isEmpty()) {
        server.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
        JsonObject body = new JsonObject(got.get(0).body());
        return body.containsKey("Records") ? body.getJsonArray("Records").getJsonObject(0) : body;
      }
    }
    throw new AssertionError("no message reached " + url);
  }

  private static Instant rfc1123(String s) {
    return Instant.from(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(s));
  }

  // ---- storage classes ----

  @Test
  void everyStorageClassIsKeptAndShownAsS3ShowsIt() {
    s3().createBucket(b -> b.bucket("classes"));
    List<String> classes = List.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
        "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE");
    for (String c : classes) {
      s3().putObject(b -> b.bucket("classes").key("k-" + c).storageClass(c), RequestBody.fromString(c));
    }
    for (String c : classes) {
      HeadObjectResponse head = s3().headObject(b -> b.bucket("classes").key("k-" + c));
      // S3 leaves x-amz-storage-class out for STANDARD.
      assertThat(head.storageClassAsString()).isEqualTo(c.equals("STANDARD") ? null : c);
    }
    List<S3Object> listed = s3().listObjectsV2(b -> b.bucket("classes")).contents();
    assertThat(listed).hasSize(classes.size());
    for (S3Object o : listed) assertThat(o.storageClassAsString()).isEqualTo(o.key().substring(2));
    assertThat(s3().listObjects(b -> b.bucket("classes")).contents()).extracting(o -> o.storageClassAsString())
        .containsExactlyInAnyOrderElementsOf(classes);

    S3Exception bad = s3Error(() -> s3().putObject(b -> b.bucket("classes").key("bad").storageClass("FROZEN"),
        RequestBody.fromString("x")));
    assertError(bad, 400, "InvalidStorageClass", "The storage class you specified is not valid");
    assertError(s3Error(() -> s3().headObject(b -> b.bucket("classes").key("bad"))), 404, null, null);
    assertError(s3Error(() -> s3().createMultipartUpload(b -> b.bucket("classes").key("mp").storageClass("standard"))),
        400, "InvalidStorageClass", "The storage class you specified is not valid");
    assertError(s3Error(() -> s3().copyObject(b -> b.sourceBucket("classes").sourceKey("k-STANDARD")
        .destinationBucket("classes").destinationKey("copy").storageClass("NEARLINE"))), 400, "InvalidStorageClass", null);
  }

  @Test
  void copyOntoItselfChangesTheClassAndMultipartKeepsIt() {
    s3().createBucket(b -> b.bucket("reclass"));
    s3().putObject(b -> b.bucket("reclass").key("doc"), RequestBody.fromString("document"));
    assertThat(s3().headObject(b -> b.bucket("reclass").key("doc")).storageClass()).isNull();
    s3().copyObject(b -> b.sourceBucket("reclass").sourceKey("doc").destinationBucket("reclass").destinationKey("doc")
        .storageClass(StorageClass.STANDARD_IA));
    assertThat(s3().headObject(b -> b.bucket("reclass").key("doc")).storageClass()).isEqualTo(StorageClass.STANDARD_IA);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("reclass").key("doc")).asUtf8String()).isEqualTo("document");
    // Without a new class (or other change) a copy onto itself stays illegal.
    assertError(s3Error(() -> s3().copyObject(b -> b.sourceBucket("reclass").sourceKey("doc").destinationBucket("reclass")
        .destinationKey("doc"))), 400, "InvalidRequest", null);
    // A copy is STANDARD unless a class is named, whatever the source's.
    s3().copyObject(b -> b.sourceBucket("reclass").sourceKey("doc").destinationBucket("reclass").destinationKey("doc2"));
    assertThat(s3().headObject(b -> b.bucket("reclass").key("doc2")).storageClass()).isNull();
    s3().copyObject(b -> b.sourceBucket("reclass").sourceKey("doc").destinationBucket("reclass").destinationKey("doc3")
        .storageClass(StorageClass.GLACIER_IR));
    assertThat(s3().headObject(b -> b.bucket("reclass").key("doc3")).storageClass()).isEqualTo(StorageClass.GLACIER_IR);

    String id = s3().createMultipartUpload(b -> b.bucket("reclass").key("big").storageClass(StorageClass.ONEZONE_IA)).uploadId();
    assertThat(s3().listMultipartUploads(b -> b.bucket("reclass")).uploads().get(0).storageClassAsString()).isEqualTo("ONEZONE_IA");
    String etag = s3().uploadPart(b -> b.bucket("reclass").key("big").uploadId(id).partNumber(1),
        RequestBody.fromString("only part")).eTag();
    s3().completeMultipartUpload(b -> b.bucket("reclass").key("big").uploadId(id)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    assertThat(s3().headObject(b -> b.bucket("reclass").key("big")).storageClass()).isEqualTo(StorageClass.ONEZONE_IA);
  }

  // ---- RestoreObject ----

  @Test
  void archivedObjectsAreReadOnlyOnceRestoredAndTheRestoreNotifiesEachStep() {
    s3().createBucket(b -> b.bucket("vault"));
    String queue = queueFor("vault", "vault-events", Event.S3_OBJECT_RESTORE);
    s3().putObject(b -> b.bucket("vault").key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("frozen"));
    s3().putObject(b -> b.bucket("vault").key("instant").storageClass(StorageClass.GLACIER_IR), RequestBody.fromString("ir"));
    s3().putObject(b -> b.bucket("vault").key("deep").storageClass(StorageClass.DEEP_ARCHIVE), RequestBody.fromString("deep"));
    s3().putObject(b -> b.bucket("vault").key("warm"), RequestBody.fromString("warm"));

    S3Exception notRestored = s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("vault").key("cold")));
    assertError(notRestored, 403, "InvalidObjectState", "The operation is not valid for the object's storage class");
    assertThat(notRestored.awsErrorDetails().rawResponse().asUtf8String()).contains("<StorageClass>GLACIER</StorageClass>");
    assertError(s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("vault").key("deep"))), 403, "InvalidObjectState", null);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("vault").key("instant")).asUtf8String()).isEqualTo("ir");
    HeadObjectResponse head = s3().headObject(b -> b.bucket("vault").key("cold"));
    assertThat(head.storageClass()).isEqualTo(StorageClass.GLACIER);
    assertThat(head.restore()).isNull();
    // Copying an archived object reads it: not before a restore either.
    assertError(s3Error(() -> s3().copyObject(b -> b.sourceBucket("vault").sourceKey("cold").destinationBucket("vault")
        .destinationKey("thawed"))), 403, "InvalidObjectState", null);

    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault").key("warm").restoreRequest(r -> r.days(1)))),
        403, "InvalidObjectState", "The operation is not valid for the object's storage class");
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault").key("instant").restoreRequest(r -> r.days(1)))),
        403, "InvalidObjectState", null);
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault").key("nothing").restoreRequest(r -> r.days(1)))),
        404, "NoSuchKey", null);

    RestoreObjectResponse started = s3().restoreObject(b -> b.bucket("vault").key("cold")
        .restoreRequest(r -> r.days(2).glacierJobParameters(j -> j.tier(Tier.STANDARD))));
    assertThat(started.sdkHttpResponse().statusCode()).isEqualTo(202);
    JsonObject post = next(queue);
    assertThat(post.getString("eventName")).isEqualTo("ObjectRestore:Post");
    assertThat(post.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("cold");
    assertThat(post.getJsonObject("userIdentity").getString("principalId")).isEqualTo("AWS:000000000000");
    assertThat(s3().headObject(b -> b.bucket("vault").key("cold")).restore()).isEqualTo("ongoing-request=\"true\"");
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault").key("cold").restoreRequest(r -> r.days(2)))),
        409, "RestoreAlreadyInProgress", "Object restore is already in progress");
    assertError(s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("vault").key("cold"))), 403, "InvalidObjectState", null);

    long completedAt = server.clock().millis() + RESTORE_DELAY.toMillis();
    server.advance(RESTORE_DELAY);
    String restored = Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> s3().headObject(b -> b.bucket("vault").key("cold")).restore(), r -> r != null && r.contains("\"false\""));
    Matcher m = RESTORED.matcher(restored);
    assertThat(m.matches()).as(restored).isTrue();
    Instant expiry = rfc1123(m.group(1));
    // Two "days" after completion, rounded up to the next day boundary as S3 rounds to midnight UTC.
    long day = DAY.toMillis();
    assertThat(expiry.toEpochMilli()).isEqualTo(Math.floorDiv(completedAt + 2 * day + day - 1, day) * day);
    assertThat(next(queue).getString("eventName")).isEqualTo("ObjectRestore:Completed");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("vault").key("cold")).asUtf8String()).isEqualTo("frozen");
    assertThat(s3().getObject(b -> b.bucket("vault").key("cold")).response().restore()).isEqualTo(restored);
    // Copying the restored copy out is how an object leaves the archive for good.
    s3().copyObject(b -> b.sourceBucket("vault").sourceKey("cold").destinationBucket("vault").destinationKey("thawed"));
    assertThat(s3().headObject(b -> b.bucket("vault").key("thawed")).storageClass()).isNull();
    assertThat(s3().getObjectAsBytes(b -> b.bucket("vault").key("thawed")).asUtf8String()).isEqualTo("frozen");

    // Restoring a restored copy again answers 200 and moves its expiry.
    RestoreObjectResponse extended = s3().restoreObject(b -> b.bucket("vault").key("cold").restoreRequest(r -> r.days(5)));
    assertThat(extended.sdkHttpResponse().statusCode()).isEqualTo(200);
    Matcher later = RESTORED.matcher(s3().headObject(b -> b.bucket("vault").key("cold")).restore());
    assertThat(later.matches()).isTrue();
    Instant newExpiry = rfc1123(later.group(1));
    assertThat(newExpiry).isAfter(expiry);

    // Past the first expiry nothing happens (it was replaced); past the new one the copy goes.
    server.advance(Duration.ofMillis(expiry.toEpochMilli() - server.clock().millis() + 1));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("vault").key("cold")).asUtf8String()).isEqualTo("frozen");
    server.advance(Duration.ofMillis(newExpiry.toEpochMilli() - server.clock().millis() + 1));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().headObject(b -> b.bucket("vault").key("cold")).restore() == null);
    assertThat(next(queue).getString("eventName")).isEqualTo("ObjectRestore:Delete");
    assertError(s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("vault").key("cold"))), 403, "InvalidObjectState", null);
  }

  @Test
  void restoreRequestsWithBadValuesAreRefusedAsS3RefusesThem() throws Exception {
    s3().createBucket(b -> b.bucket("vault-bad"));
    s3().putObject(b -> b.bucket("vault-bad").key("cold").storageClass(StorageClass.DEEP_ARCHIVE), RequestBody.fromString("x"));
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault-bad").key("cold").restoreRequest(r -> r.days(0)))),
        400, "InvalidArgument", null);
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("vault-bad").key("cold")
        .restoreRequest(r -> r.days(1).glacierJobParameters(j -> j.tier("Instant"))))), 400, "MalformedXML", null);
    assertError(s3Error(() -> s3().restoreObject(b -> b.bucket("nowhere-vault").key("cold").restoreRequest(r -> r.days(1)))),
        404, "NoSuchBucket", null);
    HttpResponse<String> broken = raw("POST", "/vault-bad/cold?restore", "<RestoreRequest><Days>1</Days>");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("<Code>MalformedXML</Code>");
    HttpResponse<String> noDays = raw("POST", "/vault-bad/cold?restore", "<RestoreRequest></RestoreRequest>");
    assertThat(noDays.statusCode()).isEqualTo(400);
    assertThat(noDays.body()).contains("<Code>MalformedXML</Code>");
    // None of these started a restore.
    assertThat(s3().headObject(b -> b.bucket("vault-bad").key("cold")).restore()).isNull();
  }

  private static HttpResponse<String> raw(String method, String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.endpoint().resolve(path))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The pending completion of a restore is in the store: a restarted server completes it. */
  @Test
  void aRestorePendingAcrossARestartCompletes() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-restore");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir).withS3(SETTINGS);
    EventplaneServer first = EventplaneServer.start(config, clock);
    try (S3Client client = client(first.port())) {
      client.createBucket(b -> b.bucket("vault-restart"));
      client.putObject(b -> b.bucket("vault-restart").key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("z"));
      assertThat(client.restoreObject(b -> b.bucket("vault-restart").key("cold").restoreRequest(r -> r.days(1)))
          .sdkHttpResponse().statusCode()).isEqualTo(202);
    } finally {
      first.close();
    }
    clock.advance(RESTORE_DELAY);
    EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
    try (S3Client client = client(second.port())) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(
          () -> client.headObject(b -> b.bucket("vault-restart").key("cold")).restore(), r -> r != null && r.contains("\"false\""));
      assertThat(client.getObjectAsBytes(b -> b.bucket("vault-restart").key("cold")).asUtf8String()).isEqualTo("z");
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

  // ---- lifecycle configuration ----

  @Test
  void lifecycleConfigurationIsStoredReturnedAndDeleted() {
    s3().createBucket(b -> b.bucket("life-config"));
    assertError(s3Error(() -> s3().getBucketLifecycleConfiguration(b -> b.bucket("life-config"))), 404,
        "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
    List<LifecycleRule> rules = List.of(
        LifecycleRule.builder().id("logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
            .expiration(e -> e.days(30)).transitions(t -> t.days(7).storageClass(TransitionStorageClass.GLACIER)).build(),
        LifecycleRule.builder().id("tagged").status(ExpirationStatus.DISABLED)
            .filter(f -> f.and(a -> a.prefix("tmp/").tags(t -> t.key("kind").value("scratch")).objectSizeGreaterThan(10L)))
            .expiration(e -> e.date(Instant.parse("2031-01-01T00:00:00Z"))).build(),
        LifecycleRule.builder().id("uploads").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(3))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(10)).build(),
        LifecycleRule.builder().id("one-tag").status(ExpirationStatus.ENABLED).filter(f -> f.tag(t -> t.key("a").value("b")))
            .transitions(t -> t.days(40).storageClass(TransitionStorageClass.STANDARD_IA)).build());
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-config").lifecycleConfiguration(c -> c.rules(rules)));
    GetBucketLifecycleConfigurationResponse got = s3().getBucketLifecycleConfiguration(b -> b.bucket("life-config"));
    assertThat(got.rules()).isEqualTo(rules);

    s3().deleteBucketLifecycle(b -> b.bucket("life-config"));
    assertError(s3Error(() -> s3().getBucketLifecycleConfiguration(b -> b.bucket("life-config"))), 404,
        "NoSuchLifecycleConfiguration", null);
    // Deleting again is no error, as on S3.
    s3().deleteBucketLifecycle(b -> b.bucket("life-config"));
    assertError(s3Error(() -> s3().getBucketLifecycleConfiguration(b -> b.bucket("no-such-life"))), 404, "NoSuchBucket", null);
  }

  @Test
  void aRuleWithoutAnIdGetsOne() {
    s3().createBucket(b -> b.bucket("life-noid"));
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-noid").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().status(ExpirationStatus.ENABLED).filter(f -> f.prefix("a/")).expiration(e -> e.days(1)).build())));
    String id = s3().getBucketLifecycleConfiguration(b -> b.bucket("life-noid")).rules().get(0).id();
    assertThat(id).isNotEmpty().hasSizeLessThanOrEqualTo(255);
  }

  @Test
  void lifecycleConfigurationsAreValidatedAsS3ValidatesThem() throws Exception {
    s3().createBucket(b -> b.bucket("life-bad"));
    LifecycleRule ok = LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("p/"))
        .expiration(e -> e.days(1)).build();
    assertError(put("life-bad", ok, ok.toBuilder().build()), 400, "InvalidArgument",
        "Rule ID must be unique. Found same ID for more than one rule");
    assertError(put("life-bad", ok.toBuilder().id("x".repeat(256)).build()), 400, "InvalidArgument",
        "ID length should not exceed allowed limit of 255");
    assertError(put("life-bad", ok.toBuilder().expiration(e -> e.days(0)).build()), 400, "InvalidArgument",
        "'Days' for Expiration action must be a positive integer");
    assertError(put("life-bad", ok.toBuilder().expiration(e -> e.date(Instant.parse("2031-01-01T10:00:00Z"))).build()), 400,
        "InvalidArgument", "'Date' must be at midnight GMT");
    assertError(put("life-bad", ok.toBuilder().expiration(e -> e.days(1).date(Instant.parse("2031-01-01T00:00:00Z"))).build()),
        400, "MalformedXML", null);
    assertError(put("life-bad", ok.toBuilder().status("On").build()), 400, "MalformedXML", null);
    assertError(put("life-bad", ok.toBuilder().expiration((software.amazon.awssdk.services.s3.model.LifecycleExpiration) null)
        .build()), 400, "InvalidRequest", "At least one action needs to be specified in a rule");
    assertError(put("life-bad", ok.toBuilder().transitions(t -> t.days(10).storageClass(TransitionStorageClass.STANDARD_IA))
        .build()), 400, "InvalidArgument", null);
    assertError(put("life-bad", ok.toBuilder().abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(0)).build()), 400,
        "InvalidArgument", null);
    assertError(put("life-bad", ok.toBuilder().filter(f -> f.prefix("a").tag(t -> t.key("k").value("v"))).build()), 400,
        "MalformedXML", null);
    List<LifecycleRule> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) many.add(ok.toBuilder().id("r" + i).build());
    assertError(put("life-bad", many.toArray(LifecycleRule[]::new)), 400, "MalformedXML", null);
    assertError(s3Error(() -> s3().getBucketLifecycleConfiguration(b -> b.bucket("life-bad"))), 404,
        "NoSuchLifecycleConfiguration", null);

    HttpResponse<String> broken = raw("PUT", "/life-bad?lifecycle", "<LifecycleConfiguration><Rule>");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("<Code>MalformedXML</Code>");
    HttpResponse<String> empty = raw("PUT", "/life-bad?lifecycle", "<LifecycleConfiguration/>");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("<Code>MalformedXML</Code>");
    // 1,000 rules are fine.
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-bad").lifecycleConfiguration(c -> c.rules(many.subList(0, 1000))));
    assertThat(s3().getBucketLifecycleConfiguration(b -> b.bucket("life-bad")).rules()).hasSize(1000);
  }

  private static S3Exception put(String bucket, LifecycleRule... rules) {
    return s3Error(() -> s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules))));
  }

  // ---- lifecycle rules applied ----

  @Test
  void expiredObjectsAreDeletedWithANotificationAndAnnouncedInXAmzExpiration() {
    s3().createBucket(b -> b.bucket("life-expire"));
    String queue = queueFor("life-expire", "life-expire-events", Event.S3_LIFECYCLE_EXPIRATION, Event.S3_OBJECT_REMOVED);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-expire").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("old-logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
            .expiration(e -> e.days(2)).build(),
        LifecycleRule.builder().id("big-only").status(ExpirationStatus.ENABLED)
            .filter(f -> f.objectSizeGreaterThan(100L)).expiration(e -> e.days(1)).build(),
        LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("keep/"))
            .expiration(e -> e.days(1)).build())));
    long putAt = server.clock().millis();
    String header = s3().putObject(b -> b.bucket("life-expire").key("logs/a.log"), RequestBody.fromString("log")).expiration();
    Matcher m = EXPIRATION.matcher(header);
    assertThat(m.matches()).as(header).isTrue();
    assertThat(m.group(2)).isEqualTo("old-logs");
    long day = DAY.toMillis();
    assertThat(rfc1123(m.group(1)).toEpochMilli()).isEqualTo(Math.floorDiv(putAt + 2 * day + day - 1, day) * day);
    assertThat(s3().headObject(b -> b.bucket("life-expire").key("logs/a.log")).expiration()).isEqualTo(header);
    assertThat(s3().getObject(b -> b.bucket("life-expire").key("logs/a.log")).response().expiration()).isEqualTo(header);
    assertThat(s3().putObject(b -> b.bucket("life-expire").key("keep/b"), RequestBody.fromString("kept")).expiration()).isNull();
    // The big one matches both enabled rules: the earlier expiry is the one announced.
    String big = s3().putObject(b -> b.bucket("life-expire").key("logs/big"), RequestBody.fromString("x".repeat(200))).expiration();
    assertThat(big).contains("rule-id=\"big-only\"");
    String copied = s3().copyObject(b -> b.sourceBucket("life-expire").sourceKey("keep/b").destinationBucket("life-expire")
        .destinationKey("logs/copy")).expiration();
    assertThat(copied).contains("rule-id=\"old-logs\"");
    String upload = s3().createMultipartUpload(b -> b.bucket("life-expire").key("logs/multi")).uploadId();
    String part = s3().uploadPart(b -> b.bucket("life-expire").key("logs/multi").uploadId(upload).partNumber(1),
        RequestBody.fromString("m")).eTag();
    assertThat(s3().completeMultipartUpload(b -> b.bucket("life-expire").key("logs/multi").uploadId(upload)
        .multipartUpload(mu -> mu.parts(p -> p.partNumber(1).eTag(part)))).expiration()).contains("rule-id=\"old-logs\"");

    server.advance(DAY.multipliedBy(3));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().listObjectsV2(b -> b.bucket("life-expire")).contents().size() == 1);
    assertThat(s3().listObjectsV2(b -> b.bucket("life-expire")).contents()).extracting(S3Object::key).containsExactly("keep/b");
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 4; i++) events.add(next(queue).getString("eventName"));
    assertThat(events).containsOnly("LifecycleExpiration:Delete");
    assertError(s3Error(() -> s3().headObject(b -> b.bucket("life-expire").key("logs/a.log"))), 404, null, null);
  }

  /** On a versioned bucket expiry puts a delete marker over the current version, which stays as a noncurrent one. */
  @Test
  void expiryOnAVersionedBucketWritesADeleteMarker() {
    s3().createBucket(b -> b.bucket("life-versioned"));
    s3().putBucketVersioning(b -> b.bucket("life-versioned").versioningConfiguration(v -> v.status("Enabled")));
    String queue = queueFor("life-versioned", "life-versioned-events", Event.S3_LIFECYCLE_EXPIRATION);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-versioned").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
            .expiration(e -> e.days(1)).build())));
    var put = s3().putObject(b -> b.bucket("life-versioned").key("tmp/a"), RequestBody.fromString("a"));
    assertThat(put.expiration()).contains("rule-id=\"expire\"");

    server.advance(DAY.multipliedBy(2));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().listObjectsV2(b -> b.bucket("life-versioned")).contents().isEmpty());
    var versions = s3().listObjectVersions(b -> b.bucket("life-versioned"));
    assertThat(versions.versions()).singleElement().satisfies(v -> {
      assertThat(v.versionId()).isEqualTo(put.versionId());
      assertThat(v.isLatest()).isFalse();
    });
    assertThat(versions.deleteMarkers()).singleElement().satisfies(d -> assertThat(d.isLatest()).isTrue());
    JsonObject event = next(queue);
    assertThat(event.getString("eventName")).isEqualTo("LifecycleExpiration:DeleteMarkerCreated");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("versionId"))
        .isEqualTo(versions.deleteMarkers().get(0).versionId());
    assertThat(s3().getObjectAsBytes(b -> b.bucket("life-versioned").key("tmp/a").versionId(put.versionId())).asUtf8String())
        .isEqualTo("a");
  }

  /** The versions of keys under {@code prefix} (newest first per key) in a versioned bucket. */
  private static List<software.amazon.awssdk.services.s3.model.ObjectVersion> versionsOf(String bucket, String prefix) {
    return s3().listObjectVersions(b -> b.bucket(bucket).prefix(prefix)).versions();
  }

  private static void versioned(String bucket) {
    s3().createBucket(b -> b.bucket(bucket));
    s3().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
  }

  @Test
  void noncurrentVersionsExpireAfterNoncurrentDaysKeepingTheNewerOnes() {
    versioned("nc-expire");
    String queue = queueFor("nc-expire", "nc-expire-events", Event.S3_LIFECYCLE_EXPIRATION);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("nc-expire").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("history").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(1)).build())));
    String v1 = s3().putObject(b -> b.bucket("nc-expire").key("logs/a"), RequestBody.fromString("1")).versionId();
    String v2 = s3().putObject(b -> b.bucket("nc-expire").key("logs/a"), RequestBody.fromString("2")).versionId();
    String v3 = s3().putObject(b -> b.bucket("nc-expire").key("logs/a"), RequestBody.fromString("3")).versionId();
    s3().putObject(b -> b.bucket("nc-expire").key("keep/a"), RequestBody.fromString("1"));
    s3().putObject(b -> b.bucket("nc-expire").key("keep/a"), RequestBody.fromString("2"));

    // Not a day noncurrent yet: every version stays.
    Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> versionsOf("nc-expire", "logs/").size() == 3);

    server.advance(DAY.multipliedBy(3));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> versionsOf("nc-expire", "logs/").size() == 2);
    // v2 is as old as v1 but is the one newer noncurrent version the rule keeps.
    assertThat(versionsOf("nc-expire", "logs/")).extracting(v -> v.versionId()).containsExactly(v3, v2);
    JsonObject event = next(queue);
    assertThat(event.getString("eventName")).isEqualTo("LifecycleExpiration:Delete");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("logs/a");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(v1);
    assertError(s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("nc-expire").key("logs/a").versionId(v1))), 404,
        "NoSuchVersion", null);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("nc-expire").key("logs/a").versionId(v2)).asUtf8String()).isEqualTo("2");
    assertThat(versionsOf("nc-expire", "keep/")).hasSize(2);
  }

  @Test
  void noncurrentVersionsMoveToAColderClassByTheirOwnTags() {
    versioned("nc-move");
    String queue = queueFor("nc-move", "nc-move-events", Event.S3_LIFECYCLE_TRANSITION);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("nc-move").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("archive-history").status(ExpirationStatus.ENABLED)
            .filter(f -> f.tag(t -> t.key("tier").value("cold")))
            .noncurrentVersionTransitions(t -> t.noncurrentDays(1).storageClass(TransitionStorageClass.GLACIER)).build())));
    String cold = s3().putObject(b -> b.bucket("nc-move").key("x").tagging("tier=cold"), RequestBody.fromString("a"))
        .versionId();
    String current = s3().putObject(b -> b.bucket("nc-move").key("x").tagging("tier=cold"), RequestBody.fromString("b"))
        .versionId();
    String hot = s3().putObject(b -> b.bucket("nc-move").key("y").tagging("tier=hot"), RequestBody.fromString("c"))
        .versionId();
    s3().putObject(b -> b.bucket("nc-move").key("y").tagging("tier=cold"), RequestBody.fromString("d"));

    server.advance(DAY.multipliedBy(2));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> versionsOf("nc-move", "x").stream()
        .anyMatch(v -> v.versionId().equals(cold) && v.storageClassAsString().equals("GLACIER")));
    JsonObject event = next(queue);
    assertThat(event.getString("eventName")).isEqualTo("LifecycleTransition");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(cold);
    // The current version is not noncurrent; a hot noncurrent version does not match the tag filter.
    assertThat(versionsOf("nc-move", "x")).filteredOn(v -> v.versionId().equals(current))
        .singleElement().satisfies(v -> assertThat(v.storageClassAsString()).isEqualTo("STANDARD"));
    assertThat(versionsOf("nc-move", "y")).filteredOn(v -> v.versionId().equals(hot))
        .singleElement().satisfies(v -> assertThat(v.storageClassAsString()).isEqualTo("STANDARD"));
    assertThat(s3().headObject(b -> b.bucket("nc-move").key("x").versionId(cold)).storageClass()).isEqualTo(StorageClass.GLACIER);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("nc-move").key("x")).asUtf8String()).isEqualTo("b");
  }

  @Test
  void expiredObjectDeleteMarkersAreRemovedOnceNothingIsBehindThem() {
    versioned("nc-markers");
    String queue = queueFor("nc-markers", "nc-markers-events", Event.S3_LIFECYCLE_EXPIRATION);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("nc-markers").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("markers").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
            .expiration(e -> e.expiredObjectDeleteMarker(true)).build(),
        LifecycleRule.builder().id("history").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build())));
    // A marker left alone at once: its only version deleted by id.
    String lone = s3().putObject(b -> b.bucket("nc-markers").key("lone"), RequestBody.fromString("l")).versionId();
    String loneMarker = s3().deleteObject(b -> b.bucket("nc-markers").key("lone")).versionId();
    s3().deleteObject(b -> b.bucket("nc-markers").key("lone").versionId(lone));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().listObjectVersions(b -> b.bucket("nc-markers").prefix("lone")).deleteMarkers().isEmpty());
    JsonObject event = next(queue);
    assertThat(event.getString("eventName")).isEqualTo("LifecycleExpiration:Delete");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("lone");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(loneMarker);

    // A marker with a version behind it stays until that version has expired, then goes too.
    String kept = s3().putObject(b -> b.bucket("nc-markers").key("k"), RequestBody.fromString("k")).versionId();
    String marker = s3().deleteObject(b -> b.bucket("nc-markers").key("k")).versionId();
    Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> s3().listObjectVersions(b -> b.bucket("nc-markers").prefix("k")).deleteMarkers().size() == 1);
    server.advance(DAY.multipliedBy(2));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      var all = s3().listObjectVersions(b -> b.bucket("nc-markers"));
      return all.versions().isEmpty() && all.deleteMarkers().isEmpty();
    });
    List<String> gone = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonObject e = next(queue);
      assertThat(e.getString("eventName")).isEqualTo("LifecycleExpiration:Delete");
      gone.add(e.getJsonObject("s3").getJsonObject("object").getString("versionId"));
    }
    assertThat(gone).containsExactly(kept, marker);
  }

  @Test
  void noncurrentActionsAreValidatedAndAnsweredBack() {
    s3().createBucket(b -> b.bucket("nc-rules"));
    assertError(put("nc-rules", LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
        .noncurrentVersionExpiration(n -> n.noncurrentDays(0)).build()), 400, "InvalidArgument", null);
    assertError(put("nc-rules", LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(101)).build()), 400, "InvalidArgument",
        null);
    assertError(put("nc-rules", LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
        .noncurrentVersionTransitions(t -> t.noncurrentDays(10).storageClass(TransitionStorageClass.STANDARD_IA)).build()), 400,
        "InvalidArgument", null);
    assertError(put("nc-rules", LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
        .noncurrentVersionTransitions(t -> t.noncurrentDays(5).storageClass(TransitionStorageClass.GLACIER))
        .noncurrentVersionExpiration(n -> n.noncurrentDays(5)).build()), 400, "InvalidArgument", null);

    s3().putBucketLifecycleConfiguration(b -> b.bucket("nc-rules").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("r").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
            .noncurrentVersionTransitions(t -> t.noncurrentDays(30).storageClass(TransitionStorageClass.STANDARD_IA)
                .newerNoncurrentVersions(2))
            .noncurrentVersionExpiration(n -> n.noncurrentDays(60).newerNoncurrentVersions(3)).build())));
    LifecycleRule back = s3().getBucketLifecycleConfiguration(b -> b.bucket("nc-rules")).rules().get(0);
    assertThat(back.noncurrentVersionTransitions()).singleElement().satisfies(t -> {
      assertThat(t.noncurrentDays()).isEqualTo(30);
      assertThat(t.storageClass()).isEqualTo(TransitionStorageClass.STANDARD_IA);
      assertThat(t.newerNoncurrentVersions()).isEqualTo(2);
    });
    assertThat(back.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(60);
    assertThat(back.noncurrentVersionExpiration().newerNoncurrentVersions()).isEqualTo(3);
  }

  @Test
  void aTransitionMovesObjectsToTheColderClassAndNotifies() {
    s3().createBucket(b -> b.bucket("life-move"));
    String queue = queueFor("life-move", "life-move-events", Event.S3_LIFECYCLE_TRANSITION);
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-move").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("archive").status(ExpirationStatus.ENABLED)
            .filter(f -> f.and(a -> a.prefix("data/").tags(t -> t.key("tier").value("cold"))))
            .transitions(t -> t.days(1).storageClass(TransitionStorageClass.GLACIER),
                t -> t.days(4).storageClass(TransitionStorageClass.DEEP_ARCHIVE)).build())));
    s3().putObject(b -> b.bucket("life-move").key("data/x").tagging("tier=cold"), RequestBody.fromString("x"));
    s3().putObject(b -> b.bucket("life-move").key("data/y").tagging("tier=hot"), RequestBody.fromString("y"));

    server.advance(DAY.multipliedBy(2));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().headObject(b -> b.bucket("life-move").key("data/x")).storageClass() == StorageClass.GLACIER);
    JsonObject event = next(queue);
    assertThat(event.getString("eventName")).isEqualTo("LifecycleTransition");
    // S3 itself is the principal and the source of lifecycle events.
    assertThat(event.getJsonObject("userIdentity").getString("principalId")).isEqualTo("s3.amazonaws.com");
    assertThat(event.getJsonObject("requestParameters").getString("sourceIPAddress")).isEqualTo("s3.amazonaws.com");
    assertThat(event.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("data/x");
    assertThat(s3().headObject(b -> b.bucket("life-move").key("data/y")).storageClass()).isNull();
    assertError(s3Error(() -> s3().getObjectAsBytes(b -> b.bucket("life-move").key("data/x"))), 403, "InvalidObjectState", null);

    server.advance(DAY.multipliedBy(3));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().headObject(b -> b.bucket("life-move").key("data/x")).storageClass() == StorageClass.DEEP_ARCHIVE);
    assertThat(next(queue).getString("eventName")).isEqualTo("LifecycleTransition");
  }

  @Test
  void oldIncompleteUploadsAreAborted() {
    s3().createBucket(b -> b.bucket("life-uploads"));
    s3().putBucketLifecycleConfiguration(b -> b.bucket("life-uploads").lifecycleConfiguration(c -> c.rules(
        LifecycleRule.builder().id("abort").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("in/"))
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build())));
    String stale = s3().createMultipartUpload(b -> b.bucket("life-uploads").key("in/stale")).uploadId();
    s3().uploadPart(b -> b.bucket("life-uploads").key("in/stale").uploadId(stale).partNumber(1), RequestBody.fromString("p"));
    s3().createMultipartUpload(b -> b.bucket("life-uploads").key("out/other"));

    server.advance(DAY.multipliedBy(2));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> s3().listMultipartUploads(b -> b.bucket("life-uploads")).uploads().size() == 1);
    assertThat(s3().listMultipartUploads(b -> b.bucket("life-uploads")).uploads().get(0).key()).isEqualTo("out/other");
    assertError(s3Error(() -> s3().listParts(b -> b.bucket("life-uploads").key("in/stale").uploadId(stale))), 404,
        "NoSuchUpload", null);
  }
}
