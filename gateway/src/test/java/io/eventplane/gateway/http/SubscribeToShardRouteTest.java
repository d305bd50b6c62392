package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.ShardSubscriptions;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.kinesis.KinesisCbor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * The gateway's half of SubscribeToShard against a fake owner on the bus and the SDK's async client
 * (CBOR, HTTP/2): a pull that fails as the cluster's failure (the owner moving) is pulled again at
 * the same position, events reach the client with their bytes and instants, and the owner's
 * client error after the start ends the stream as that exception.
 */
class SubscribeToShardRouteTest {
  private static final String ADDRESS = "test.kinesis.subscriptions";
  private static final JsonBinding BINDING = new JsonBinding("kinesis", "Kinesis_20131202.", ADDRESS,
      Set.of("SubscribeToShard"), WireResponse.JSON_1_1, ErrorTable.builder("").build(), false, Map.of())
      .withCbor(KinesisCbor.MEMBERS);
  private static final Instant ARRIVED = Instant.parse("2024-05-06T07:08:09.123Z");
  private static final String SEQUENCE = "49000000000000000001000000000000000000000007000000000000";

  private static Vertx vertx;
  private static KinesisAsyncClient client;
  /** The Position of every pull the owner saw, in order. */
  private static final List<Long> pulls = new CopyOnWriteArrayList<>();
  private static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Contracts.register(vertx.eventBus());
    await(vertx.eventBus().<ApiRequest>consumer(ADDRESS, message -> message.reply(owner(message.body()))).completion());
    GatewayVerticle gateway = new GatewayVerticle(EventplaneConfig.defaults().withPort(0), Duration.ofSeconds(10),
        List.of(BINDING));
    await(vertx.deployVerticle(gateway));
    client = KinesisAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + gateway.actualPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Opens at position 7; the first pull fails as a moving partition, the second has a record, the third finds the consumer gone. */
  private static ApiReply owner(ApiRequest request) {
    if (request.operation().equals("SubscribeToShard")) {
      return ApiReply.ok(new JsonObject().put(ShardSubscriptions.POSITION, 7L).put(ShardSubscriptions.SUBSCRIBED, 1000L));
    }
    pulls.add(request.input().getLong("Position"));
    return switch (calls.incrementAndGet()) {
      case 1 -> ApiReply.failed(ServiceError.unavailable("The partition is moving."));
      case 2 -> ApiReply.ok(new JsonObject()
          .put("Records", new JsonArray().add(new JsonObject().put("SequenceNumber", SEQUENCE)
              .put("ApproximateArrivalTimestamp", ARRIVED.toEpochMilli() / 1000.0).put("Data", "AP8B")
              .put("PartitionKey", "k")))
          .put("ContinuationSequenceNumber", SEQUENCE).put("MillisBehindLatest", 0)
          .put(ShardSubscriptions.POSITION, 8L).put(ShardSubscriptions.END, false));
      default -> ApiReply.failed(ServiceError.sender("ResourceNotFoundException", "Consumer gone."));
    };
  }

  @Test
  void aFailedPullIsRetriedAtItsPositionAndAClientErrorEndsTheStream() throws Exception {
    List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
        .subscriber(SubscribeToShardResponseHandler.Visitor.builder().onSubscribeToShardEvent(events::add).build())
        .onError(error::complete)
        .build();
    client.subscribeToShard(b -> b.consumerARN("arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1")
        .shardId("shardId-000000000000").startingPosition(p -> p.type(ShardIteratorType.LATEST)), handler);
    Throwable failure = error.get(20, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Consumer gone.");
    assertThat(pulls).containsExactly(7L, 7L, 8L);
    assertThat(events).hasSize(1);
    SubscribeToShardEvent e = events.get(0);
    assertThat(e.records().get(0).data().asByteArray()).containsExactly(0, 0xff, 1);
    assertThat(e.records().get(0).approximateArrivalTimestamp()).isEqualTo(ARRIVED);
    assertThat(e.records().get(0).sequenceNumber()).isEqualTo(SEQUENCE);
    assertThat(e.continuationSequenceNumber()).isEqualTo(SEQUENCE);
  }
}
