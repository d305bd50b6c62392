package io.eventplane.server.apigateway;

import io.eventplane.server.EmbeddedServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;

/** SDK v2 API Gateway clients for the tests, on any node of the embedded server. */
final class ApiGatewayClients {
  private ApiGatewayClients() {}

  static ApiGatewayV2Client v2(EmbeddedServer server) {
    return v2(server.endpoint(), "test", Region.US_EAST_1);
  }

  static ApiGatewayV2Client v2(URI endpoint, String accessKey, Region region) {
    return ApiGatewayV2Client.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }
}
