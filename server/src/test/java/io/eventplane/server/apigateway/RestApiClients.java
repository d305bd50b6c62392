package io.eventplane.server.apigateway;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/** SDK v2 API Gateway (v1, REST APIs) clients for the tests, and the invoke plane's bus call. */
final class RestApiClients {
  private RestApiClients() {}

  static ApiGatewayClient v1(EmbeddedServer server) {
    return v1(server.endpoint(), "test", Region.US_EAST_1);
  }

  static ApiGatewayClient v1(URI endpoint, String accessKey, Region region) {
    return ApiGatewayClient.builder()
        .endpointOverride(endpoint)
        .region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  /** {@code GetDeployedStage} as the gateways' invoke plane asks it: by API id alone, from any account. */
  static ApiReply deployedStage(EmbeddedServer server, int node, String apiId, String stage) throws Exception {
    RequestContext anyone = new RequestContext("999999999999", "eu-west-1", "test", "http://localhost");
    return server.vertx(node).eventBus().<ApiReply>request(Contracts.APIGATEWAY,
        new ApiRequest("GetDeployedStage", new JsonObject().put("ApiId", apiId).put("StageName", stage), anyone))
        .map(m -> m.body()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
