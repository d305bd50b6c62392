package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * CloudWatch with signatures verified ({@code --auth sigv4}): SDK v2's RPC v2 CBOR calls, signed on
 * their {@code /service/.../operation/...} path for {@code monitoring}, get through, a large
 * PutMetricData too (past 10 KiB the SDK may gzip it: the signature covers the compressed bytes), and a
 * wrong secret is refused with SignatureDoesNotMatch.
 */
class CloudWatchSignedTest {
  static final String KEY_ID = "EPADMINKEY000000002";
  static final String SECRET = "cloudwatchSecretKeyForTheSignedTest000000";

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(KEY_ID, SECRET)));

  static CloudWatchClient client(String secret) {
    return CloudWatchClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, secret)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void signedCallsGetThroughAndAWrongSecretDoesNot() {
    try (CloudWatchClient cw = client(SECRET); CloudWatchClient wrong = client("not-the-secret-at-all-000000000000")) {
      List<MetricDatum> data = new ArrayList<>();
      Instant t = server.clock().instant();
      for (int i = 0; i < 400; i++) {
        String item = "item-with-a-long-name-" + i;
        data.add(MetricDatum.builder().metricName("Signed").dimensions(d -> d.name("Item").value(item))
            .value(1.0).timestamp(t).build());
      }
      cw.putMetricData(b -> b.namespace("Auth").metricData(data));
      assertThat(cw.listMetricsPaginator(b -> b.namespace("Auth")).metrics()).hasSize(400);

      CloudWatchException refused = catchThrowableOfType(CloudWatchException.class,
          () -> wrong.listMetrics(b -> b.namespace("Auth")));
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
    }
  }
}
