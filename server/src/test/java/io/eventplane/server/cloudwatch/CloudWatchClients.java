package io.eventplane.server.cloudwatch;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** SDK v2 CloudWatch clients for the tests: what SDK v2 2.57 sends by default, Smithy RPC v2 CBOR. */
public final class CloudWatchClients {
  private CloudWatchClients() {}

  public static CloudWatchClient of(URI endpoint) {
    return CloudWatchClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        // An error must reach the test as the server answered it.
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
