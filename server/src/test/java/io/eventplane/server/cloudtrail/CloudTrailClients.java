package io.eventplane.server.cloudtrail;

import io.eventplane.server.EmbeddedServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/** A CloudTrail client for a test server, as SDK v2 is configured by default. */
final class CloudTrailClients {
  private CloudTrailClients() {}

  static CloudTrailClient of(EmbeddedServer server) {
    return of(server.endpoint());
  }

  /** A client of one node's endpoint. */
  static CloudTrailClient of(java.net.URI endpoint) {
    return CloudTrailClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }
}
