package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import io.eventplane.server.EventplaneServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationState;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.ConnectionState;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Connections, API destinations and a delivery to one survive a restart: the connection (with its
 * secret) and the destination are read back from the store, and an event whose first attempt was
 * answered 503 before the restart is retried by the restarted server on the clock and reaches the
 * endpoint with the connection's API key.
 */
class ConnectionRestartTest {
  @Test
  void connectionsDestinationsAndPendingDeliveriesSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("eventplane-connections");
    MutableClock clock = new MutableClock();
    EventplaneConfig config = EventplaneConfig.defaults().withPort(0).withDataDir(dir);
    Vertx vertx = Vertx.vertx();
    List<String> keys = new CopyOnWriteArrayList<>();
    List<Integer> answered = new CopyOnWriteArrayList<>();
    int[] status = {503};
    HttpServer http = vertx.createHttpServer().requestHandler(req -> {
      keys.add(req.getHeader("x-api-key"));
      answered.add(status[0]);
      req.response().setStatusCode(status[0]).end();
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    try {
      EventplaneServer first = EventplaneServer.start(config, clock);
      String connection;
      String destination;
      try (EventBridgeClient events = events(first.port())) {
        connection = events.createConnection(b -> b.name("kept").authorizationType(ConnectionAuthorizationType.API_KEY)
            .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("x-api-key").apiKeyValue("k-restart")))).connectionArn();
        destination = events.createApiDestination(b -> b.name("kept").connectionArn(connection)
            .invocationEndpoint("http://127.0.0.1:" + http.actualPort() + "/in").httpMethod(ApiDestinationHttpMethod.POST))
            .apiDestinationArn();
        events.putRule(b -> b.name("kept").eventPattern("{\"source\":[\"kept\"]}"));
        events.putTargets(b -> b.rule("kept").targets(Target.builder().id("http").arn(destination)
            .roleArn("arn:aws:iam::000000000000:role/r").build()));
        events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("kept").detailType("t").detail("{}").build()));
        await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() == 1);
      } finally {
        first.close();
      }

      status[0] = 200;
      EventplaneServer second = EventplaneServer.start(config.withPort(0), clock);
      try (EventBridgeClient events = events(second.port())) {
        assertThat(events.describeConnection(b -> b.name("kept")).connectionArn()).isEqualTo(connection);
        assertThat(events.describeConnection(b -> b.name("kept")).connectionState()).isEqualTo(ConnectionState.AUTHORIZED);
        assertThat(events.describeApiDestination(b -> b.name("kept")).apiDestinationArn()).isEqualTo(destination);
        assertThat(events.describeApiDestination(b -> b.name("kept")).apiDestinationState()).isEqualTo(ApiDestinationState.ACTIVE);
        // The stored retry waits for the service's clock (at most 1 s after the first attempt).
        clock.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() == 2);
        assertThat(answered).containsExactly(503, 200);
        assertThat(keys).containsOnly("k-restart");
      } finally {
        second.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static EventBridgeClient events(int port) {
    return EventBridgeClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder()).build();
  }
}
