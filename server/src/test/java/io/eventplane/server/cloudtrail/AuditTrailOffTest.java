package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;

/**
 * A server started with {@code --audit-trail off}: the gateway records no call, so LookupEvents finds
 * nothing and a logging trail delivers no file, while CloudTrail's API still answers.
 */
class AuditTrailOffTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuditTrail(false));
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
  void noCallIsRecordedButCloudTrailStillAnswers() {
    server.s3().createBucket(b -> b.bucket("ct-off-logs"));
    cloudTrail.createTrail(b -> b.name("off").s3BucketName("ct-off-logs"));
    cloudTrail.putEventSelectors(b -> b.trailName("off").eventSelectors(EventSelector.builder().readWriteType(ReadWriteType.ALL)
        .includeManagementEvents(true).dataResources(DataResource.builder().type("AWS::S3::Object").values("arn:aws:s3").build())
        .build()));
    cloudTrail.startLogging(b -> b.name("off"));
    assertThat(cloudTrail.getTrailStatus(b -> b.name("off")).isLogging()).isTrue();
    String url = server.sqs().createQueue(b -> b.queueName("ct-off-q")).queueUrl();
    server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("m"));
    server.s3().putObject(b -> b.bucket("ct-off-logs").key("k"), RequestBody.fromString("v"));
    server.sqs().deleteQueue(b -> b.queueUrl(url));

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
        .until(() -> cloudTrail.lookupEvents(b -> b.maxResults(50)).events().isEmpty());
    server.advance(Duration.ofMinutes(5));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
        .until(() -> server.s3().listObjectsV2(b -> b.bucket("ct-off-logs").prefix("AWSLogs/")).contents().isEmpty());
    assertThat(cloudTrail.describeTrails().trailList()).extracting(t -> t.name()).containsExactly("off");
  }
}
