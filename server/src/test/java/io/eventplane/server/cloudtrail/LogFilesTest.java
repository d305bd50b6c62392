package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.s3.BrowserForm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A logging trail's log files: gzipped {@code {"Records":[...]}} in its bucket under AWS's key
 * layout, every five minutes of the service clock (the injected clock here), each record in exactly
 * one file; data events only where the trail's selectors take them, never with a body.
 */
class LogFilesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String KEY = "AWSLogs/000000000000/CloudTrail/us-east-1/\\d{4}/\\d\\d/\\d\\d/"
      + "000000000000_CloudTrail_us-east-1_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz";
  private static CloudTrailClient cloudTrail;

  @BeforeAll
  static void client() {
    cloudTrail = CloudTrailClients.of(server);
  }

  @AfterAll
  static void close() {
    cloudTrail.close();
  }

  @Test
  void aLoggingTrailDeliversEachRecordOnceInGzippedFilesUnderAwsKeys() {
    String before = server.sqs().createQueue(b -> b.queueName("ct-files-before")).queueUrl();
    CloudTrailRecordsTest.eventsOf(cloudTrail, before, 1);
    server.s3().createBucket(b -> b.bucket("ct-files"));
    cloudTrail.createTrail(b -> b.name("files").s3BucketName("ct-files"));
    cloudTrail.startLogging(b -> b.name("files"));
    String first = server.sqs().createQueue(b -> b.queueName("ct-files-first")).queueUrl();
    CloudTrailRecordsTest.eventsOf(cloudTrail, first, 1);
    assertThat(objects("ct-files")).isEmpty();

    server.advance(Duration.ofMinutes(5));
    List<S3Object> one = await().atMost(Duration.ofSeconds(20)).until(() -> objects("ct-files"), o -> o.size() == 1);
    assertThat(one.get(0).key()).matches(KEY);
    List<JsonObject> firstFile = records("ct-files", one.get(0).key());
    assertThat(firstFile).anySatisfy(r -> {
      assertThat(r.getString("eventName")).isEqualTo("CreateQueue");
      assertThat(r.getJsonObject("requestParameters").getString("queueName")).isEqualTo("ct-files-first");
      assertThat(r.getString("eventVersion")).isEqualTo("1.11");
    });
    // A record stored before logging started (LookupEvents found it) is not delivered. (The records of the
    // LookupEvents calls that found it are batched off the response path and may be stored after StartLogging.)
    assertThat(firstFile).filteredOn(r -> r.getString("eventName").equals("CreateQueue"))
        .noneSatisfy(r -> assertThat(r.encode()).contains("ct-files-before"));
    assertThat(cloudTrail.getTrailStatus(b -> b.name("files")).latestDeliveryTime()).isNotNull();

    String second = server.sqs().createQueue(b -> b.queueName("ct-files-second")).queueUrl();
    CloudTrailRecordsTest.eventsOf(cloudTrail, second, 1);
    server.advance(Duration.ofMinutes(5));
    List<S3Object> two = await().atMost(Duration.ofSeconds(20)).until(() -> objects("ct-files"), o -> o.size() == 2);
    List<JsonObject> all = new ArrayList<>();
    for (S3Object o : two) {
      assertThat(o.key()).matches(KEY);
      all.addAll(records("ct-files", o.key()));
    }
    Set<String> ids = new HashSet<>();
    for (JsonObject r : all) assertThat(ids.add(r.getString("eventID"))).as("each record in one file").isTrue();
    assertThat(all).filteredOn(r -> r.getString("eventName").equals("CreateQueue"))
        .extracting(r -> r.getJsonObject("requestParameters").getString("queueName"))
        .containsExactly("ct-files-first", "ct-files-second");

    cloudTrail.stopLogging(b -> b.name("files"));
    server.sqs().createQueue(b -> b.queueName("ct-files-after-stop"));
    server.advance(Duration.ofMinutes(5));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> objects("ct-files").size() == 2);
  }

  @Test
  void dataEventsReachTheFilesOnlyWhereSelectedAndWithoutBodies() {
    server.s3().createBucket(b -> b.bucket("ct-data-logs"));
    server.s3().createBucket(b -> b.bucket("ct-data-watched"));
    server.s3().createBucket(b -> b.bucket("ct-data-ignored"));
    cloudTrail.createTrail(b -> b.name("data").s3BucketName("ct-data-logs").s3KeyPrefix("trail"));
    cloudTrail.putEventSelectors(b -> b.trailName("data").eventSelectors(EventSelector.builder().readWriteType(ReadWriteType.ALL)
        .includeManagementEvents(false).dataResources(DataResource.builder().type("AWS::S3::Object")
            .values("arn:aws:s3:::ct-data-watched/").build()).build()));
    cloudTrail.startLogging(b -> b.name("data"));
    server.s3().putObject(b -> b.bucket("ct-data-watched").key("seen.txt"), RequestBody.fromString("secret-watched-bytes"));
    server.s3().putObject(b -> b.bucket("ct-data-ignored").key("unseen.txt"), RequestBody.fromString("secret-ignored-bytes"));
    server.s3().getObjectAsBytes(b -> b.bucket("ct-data-watched").key("seen.txt"));
    // A management call on the same client's connection after the data calls: its record is sent
    // by the same gateway tap after theirs, so once it is stored, theirs are too.
    server.s3().createBucket(b -> b.bucket("ct-data-marker"));
    await().atMost(Duration.ofSeconds(20)).until(() -> cloudTrail.lookupEvents(b -> b.lookupAttributes(a -> a
        .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue("ct-data-marker"))).events().size() == 1);
    server.advance(Duration.ofMinutes(5));
    List<S3Object> files = await().atMost(Duration.ofSeconds(20)).until(() -> objects("ct-data-logs"), o -> !o.isEmpty());
    assertThat(files.get(0).key()).startsWith("trail/AWSLogs/").matches("trail/" + KEY);
    List<JsonObject> records = records("ct-data-logs", files.get(0).key());
    assertThat(records).extracting(r -> r.getString("eventName")).containsExactly("PutObject", "GetObject");
    JsonObject put = records.get(0);
    assertThat(put.getString("eventCategory")).isEqualTo("Data");
    assertThat(put.getBoolean("managementEvent")).isFalse();
    assertThat(put.getString("eventSource")).isEqualTo("s3.amazonaws.com");
    assertThat(put.getJsonArray("resources")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::ct-data-watched/seen.txt"))
        .add(new JsonObject().put("accountId", "000000000000").put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::ct-data-watched")));
    // S3's data events name the bucket, the host the client addressed and the key, nothing of the body or metadata.
    assertThat(put.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("bucketName", "ct-data-watched")
        .put("Host", server.endpoint().getAuthority()).put("key", "seen.txt"));
    assertThat(put.encode()).doesNotContain("secret-");
    assertThat(records.get(1).encode()).doesNotContain("secret-");
    // Data events stay out of LookupEvents, which shows management events only.
    assertThat(cloudTrail.lookupEvents(b -> b.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME)
        .attributeValue("PutObject"))).events()).isEmpty();
  }

  @Test
  void aBrowserPostUploadIsADataEventLikeAPut() throws Exception {
    server.s3().createBucket(b -> b.bucket("ct-post-logs"));
    server.s3().createBucket(b -> b.bucket("ct-post-watched"));
    cloudTrail.createTrail(b -> b.name("posts").s3BucketName("ct-post-logs"));
    cloudTrail.putEventSelectors(b -> b.trailName("posts").eventSelectors(EventSelector.builder().readWriteType(ReadWriteType.ALL)
        .includeManagementEvents(false).dataResources(DataResource.builder().type("AWS::S3::Object")
            .values("arn:aws:s3:::ct-post-watched/").build()).build()));
    cloudTrail.startLogging(b -> b.name("posts"));
    var answer = new BrowserForm().field("key", "forms/${filename}").field("x-amz-meta-secret", "secret-metadata")
        .file("upload.txt", "secret-posted-bytes".getBytes(StandardCharsets.UTF_8)).post(server.endpoint(), "ct-post-watched");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    // The upload's record comes through the tap of whichever gateway took the form's connection:
    // deliver until it is in a file.
    JsonObject post = await().atMost(Duration.ofSeconds(20)).until(() -> {
      server.advance(Duration.ofMinutes(5));
      return objects("ct-post-logs").stream().flatMap(o -> records("ct-post-logs", o.key()).stream())
          .filter(r -> r.getString("eventName").equals("PostObject")).findFirst().orElse(null);
    }, java.util.Objects::nonNull);
    assertThat(post.getString("eventCategory")).isEqualTo("Data");
    assertThat(post.getBoolean("readOnly")).isFalse();
    assertThat(post.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("bucketName", "ct-post-watched")
        .put("Host", server.endpoint().getAuthority()).put("key", "forms/upload.txt"));
    assertThat(post.getJsonArray("resources").getJsonObject(0))
        .isEqualTo(new JsonObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::ct-post-watched/forms/upload.txt"));
    assertThat(post.encode()).doesNotContain("secret-");
    cloudTrail.stopLogging(b -> b.name("posts"));
  }

  private static List<S3Object> objects(String bucket) {
    return server.s3().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  private static List<JsonObject> records(String bucket, String key) {
    byte[] gz = server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      JsonObject file = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertThat(file.fieldNames()).containsExactly("Records");
      List<JsonObject> out = new ArrayList<>();
      file.getJsonArray("Records").forEach(r -> out.add((JsonObject) r));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
