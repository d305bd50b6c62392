package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Which data calls reach a trail's log files now that the gateway builds a data call's record only
 * where a logging trail of its account and region may select it: nothing from before a trail selects
 * data events, everything after, nothing once the selectors drop them or logging stops. The trails are
 * changed through the first node's endpoint and the data calls go through the last node's (another
 * node's gateway when run with three nodes), with no clock movement between a change and the calls, so
 * the calls' gateway must have heard of the change.
 */
class DataEventSelectionTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static CloudTrailClient cloudTrail;
  private static CloudTrailClient cloudTrailOther;
  private static S3Client s3Other;
  private static SqsClient sqsOther;

  @BeforeAll
  static void clients() {
    URI other = server.endpoint(EmbeddedServer.nodes() - 1);
    cloudTrail = CloudTrailClients.of(server.endpoint(0));
    cloudTrailOther = CloudTrailClients.of(other);
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    s3Other = S3Client.builder().endpointOverride(other).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
    sqsOther = SqsClient.builder().endpointOverride(other).region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  @AfterAll
  static void close() {
    cloudTrail.close();
    cloudTrailOther.close();
    s3Other.close();
    sqsOther.close();
  }

  @Test
  void dataCallsBeforeATrailSelectsThemAreNotLoggedAndCallsAfterAre() {
    String queue = sqsOther.createQueue(b -> b.queueName("ct-sel-q")).queueUrl();
    s3Other.createBucket(b -> b.bucket("ct-sel-data"));
    server.s3().createBucket(b -> b.bucket("ct-sel-logs"));
    sqsOther.sendMessage(b -> b.queueUrl(queue).messageBody("before"));
    s3Other.putObject(b -> b.bucket("ct-sel-data").key("before.txt"), RequestBody.fromString("before"));
    s3Other.getObjectAsBytes(b -> b.bucket("ct-sel-data").key("before.txt"));
    stored("ct-sel-marker-1");

    cloudTrail.createTrail(b -> b.name("sel").s3BucketName("ct-sel-logs"));
    cloudTrail.putEventSelectors(b -> b.trailName("sel").advancedEventSelectors(
        AdvancedEventSelector.builder().name("objects").fieldSelectors(
            AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Data").build(),
            AdvancedFieldSelector.builder().field("resources.type").equalsValue("AWS::S3::Object").build(),
            AdvancedFieldSelector.builder().field("resources.ARN").startsWith("arn:aws:s3:::ct-sel-data/").build()).build(),
        AdvancedEventSelector.builder().name("queues").fieldSelectors(
            AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Data").build(),
            AdvancedFieldSelector.builder().field("resources.type").equalsValue("AWS::SQS::Queue").build()).build()));
    cloudTrail.startLogging(b -> b.name("sel"));
    sqsOther.sendMessage(b -> b.queueUrl(queue).messageBody("after"));
    s3Other.putObject(b -> b.bucket("ct-sel-data").key("after.txt"), RequestBody.fromString("after"));
    stored("ct-sel-marker-2");

    server.advance(Duration.ofMinutes(5));
    List<JsonObject> data = dataRecords(files("ct-sel-logs", 1));
    assertThat(data).extracting(r -> r.getString("eventName")).containsExactlyInAnyOrder("SendMessage", "PutObject");
    assertThat(data).allSatisfy(r -> assertThat(r.encode()).doesNotContain("before"));
    assertThat(data).filteredOn(r -> r.getString("eventName").equals("PutObject")).singleElement()
        .satisfies(r -> assertThat(r.getJsonArray("resources").getJsonObject(0).getString("ARN"))
            .isEqualTo("arn:aws:s3:::ct-sel-data/after.txt"));
    assertThat(data).filteredOn(r -> r.getString("eventName").equals("SendMessage")).singleElement()
        .satisfies(r -> assertThat(r.getJsonArray("resources").getJsonObject(0).getString("ARN"))
            .isEqualTo("arn:aws:sqs:us-east-1:000000000000:ct-sel-q"));
  }

  @Test
  void dataEventsEndWhenTheSelectorsDropThemAndWhenLoggingStops() {
    server.s3().createBucket(b -> b.bucket("ct-drop-logs"));
    s3Other.createBucket(b -> b.bucket("ct-drop-data"));
    cloudTrail.createTrail(b -> b.name("drop").s3BucketName("ct-drop-logs"));
    EventSelector objects = EventSelector.builder().readWriteType(ReadWriteType.WRITE_ONLY).includeManagementEvents(true)
        .dataResources(DataResource.builder().type("AWS::S3::Object").values("arn:aws:s3:::ct-drop-data/").build()).build();
    cloudTrail.putEventSelectors(b -> b.trailName("drop").eventSelectors(objects));
    cloudTrail.startLogging(b -> b.name("drop"));
    s3Other.putObject(b -> b.bucket("ct-drop-data").key("one.txt"), RequestBody.fromString("1"));
    stored("ct-drop-marker-1");
    server.advance(Duration.ofMinutes(5));
    assertThat(dataRecords(files("ct-drop-logs", 1))).extracting(DataEventSelectionTest::objectArn)
        .containsExactly("arn:aws:s3:::ct-drop-data/one.txt");

    cloudTrail.putEventSelectors(b -> b.trailName("drop").eventSelectors(EventSelector.builder()
        .readWriteType(ReadWriteType.ALL).includeManagementEvents(true).build()));
    s3Other.putObject(b -> b.bucket("ct-drop-data").key("two.txt"), RequestBody.fromString("2"));
    stored("ct-drop-marker-2");
    server.advance(Duration.ofMinutes(5));
    assertThat(dataRecords(files("ct-drop-logs", 2))).extracting(DataEventSelectionTest::objectArn)
        .containsExactly("arn:aws:s3:::ct-drop-data/one.txt");

    // Selected again: the gateway that had learned "nothing selected" must hear of it.
    cloudTrail.putEventSelectors(b -> b.trailName("drop").eventSelectors(objects));
    s3Other.putObject(b -> b.bucket("ct-drop-data").key("three.txt"), RequestBody.fromString("3"));
    stored("ct-drop-marker-3");
    server.advance(Duration.ofMinutes(5));
    assertThat(dataRecords(files("ct-drop-logs", 3))).extracting(DataEventSelectionTest::objectArn)
        .containsExactlyInAnyOrder("arn:aws:s3:::ct-drop-data/one.txt", "arn:aws:s3:::ct-drop-data/three.txt");

    cloudTrail.stopLogging(b -> b.name("drop"));
    s3Other.putObject(b -> b.bucket("ct-drop-data").key("four.txt"), RequestBody.fromString("4"));
    stored("ct-drop-marker-4");
    server.advance(Duration.ofMinutes(5));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> objects("ct-drop-logs").size() == 3);
  }

  /**
   * Makes a management call through the data calls' client and waits until LookupEvents has its record:
   * the same gateway tap sent the records of the calls before it no later, so they are stored too.
   */
  private static void stored(String markerBucket) {
    s3Other.createBucket(b -> b.bucket(markerBucket));
    await().atMost(Duration.ofSeconds(20)).until(() -> cloudTrailOther.lookupEvents(b -> b.lookupAttributes(a -> a
        .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(markerBucket))).events().size() == 1);
  }

  private static String objectArn(JsonObject record) {
    return record.getJsonArray("resources").getJsonObject(0).getString("ARN");
  }

  private static List<S3Object> objects(String bucket) {
    return server.s3().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  /** The records of the bucket's log files once there are {@code count} of them. */
  private static List<JsonObject> files(String bucket, int count) {
    List<S3Object> files = await().atMost(Duration.ofSeconds(20)).until(() -> objects(bucket), o -> o.size() == count);
    List<JsonObject> out = new ArrayList<>();
    for (S3Object o : files) {
      byte[] gz = server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("Records")
            .forEach(r -> out.add((JsonObject) r));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static List<JsonObject> dataRecords(List<JsonObject> records) {
    return records.stream().filter(r -> "Data".equals(r.getString("eventCategory"))).toList();
  }
}
