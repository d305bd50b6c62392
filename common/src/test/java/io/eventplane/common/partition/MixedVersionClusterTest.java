package io.eventplane.common.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.cluster.HazelcastSetup;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two clustered Vert.x nodes on loopback: a request forwarded in this build's binary frame is
 * answered across the real clustered event bus; one in the JSON frame of earlier builds is refused
 * with a failure that says why, which the caller sees as a retryable ServiceUnavailable.
 */
class MixedVersionClusterTest {
  private static final String SERVICE = "eventplane.wiretest";
  private static final RequestContext CONTEXT = new RequestContext("000000000000", "us-east-1", "r-1", "http://x");
  private static Vertx server;
  private static Vertx caller;

  @BeforeAll
  static void start() throws Exception {
    String cluster = "eventplane-wiretest-" + UUID.randomUUID();
    int a = freePort();
    int b = freePort();
    server = clustered(new ClusterSettings(true, "a", "127.0.0.1", a, List.of("127.0.0.1:" + b)), cluster);
    caller = clustered(new ClusterSettings(true, "b", "127.0.0.1", b, List.of("127.0.0.1:" + a)), cluster);
    Contracts.register(server.eventBus());
    PartitionRouter router = new PartitionRouter(server, new LocalPlacement("a"), new NodeCalls(server, SERVICE), "wiretest");
    router.listen(SERVICE, m -> {}, m -> router.reply(m, m.body(),
        Future.succeededFuture(new JsonObject().put("echo", m.body().input()).put("op", m.body().operation()))))
        .await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (caller != null) caller.close().await(20, TimeUnit.SECONDS);
    if (server != null) server.close().await(20, TimeUnit.SECONDS);
  }

  private static Vertx clustered(ClusterSettings s, String clusterName) throws Exception {
    Config config = HazelcastSetup.config(s).setClusterName(clusterName);
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1"));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config)).buildClustered()
        .await(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRequestOfAnEarlierBuildIsRefusedCleanlyThenTheCurrentFrameIsServed() throws Exception {
    ApiRequest request = new ApiRequest("Echo", new JsonObject().put("k", "välue"), CONTEXT);
    NodeCalls calls = new NodeCalls(caller, SERVICE);

    // the caller speaks the JSON frame that builds before the binary encoding sent
    caller.eventBus().registerDefaultCodec(ApiRequest.class, new EarlierBuildCodec());
    Throwable refused = null;
    try {
      calls.call("a", request).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      refused = e;
    }
    assertThat(refused).isInstanceOf(ServiceException.class);
    ServiceException e = (ServiceException) refused;
    assertThat(e.error().code()).isEqualTo("ServiceUnavailable");
    assertThat(e.error().message()).contains("eventplane.ApiRequest: wire format version 0 is not supported");

    // the same caller with this build's codecs is served, across the wire
    caller.eventBus().unregisterDefaultCodec(ApiRequest.class);
    Contracts.register(caller.eventBus());
    JsonObject answer = calls.call("a", request).await(20, TimeUnit.SECONDS);
    assertThat(answer).isEqualTo(new JsonObject().put("echo", new JsonObject().put("k", "välue")).put("op", "Echo"));
  }

  /** The codec of builds before the binary frames: the request as JSON behind an int length. */
  private static final class EarlierBuildCodec implements MessageCodec<ApiRequest, ApiRequest> {
    @Override
    public void encodeToWire(Buffer buffer, ApiRequest r) {
      Buffer json = new JsonObject().put("operation", r.operation()).put("input", r.input())
          .put("context", new JsonObject().put("accountId", r.context().accountId())).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public ApiRequest decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("only sends");
    }

    @Override
    public ApiRequest transform(ApiRequest r) {
      return r;
    }

    @Override
    public String name() {
      return "eventplane.ApiRequest";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
