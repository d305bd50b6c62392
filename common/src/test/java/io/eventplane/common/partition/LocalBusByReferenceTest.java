package io.eventplane.common.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request a gateway sends to a service on its own node, and the reply, are the very objects the
 * sender made: through a lane's address and through the service's plain address, both registered
 * the way every service registers them ({@link PartitionRouter}). Nothing is encoded locally.
 */
class LocalBusByReferenceTest {
  private static final ApiRequest REQUEST = new ApiRequest("SendMessage", new JsonObject().put("QueueUrl", "q"),
      new RequestContext("000000000000", "us-east-1", "r-1", "http://127.0.0.1"));
  private static final ApiReply REPLY = ApiReply.ok(new JsonObject().put("MessageId", "m-1"));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsAndRepliesPassByReferenceOnLaneAndServiceAddresses() throws Exception {
    Contracts.register(vertx.eventBus());
    List<Object> received = new CopyOnWriteArrayList<>();
    PartitionRouter router = new PartitionRouter(vertx, new LocalPlacement("n0"), null, "test");
    String lane = Lanes.address(Contracts.SQS, 1);
    io.vertx.core.Handler<Message<ApiRequest>> answer = m -> {
      received.add(m.body());
      m.reply(REPLY);
    };
    router.listen(lane, answer, answer).await(5, TimeUnit.SECONDS);
    router.listenLocal(Contracts.SQS, answer).await(5, TimeUnit.SECONDS);

    for (String address : List.of(lane, Contracts.SQS)) {
      Message<Object> reply = vertx.eventBus().request(address, REQUEST).await(5, TimeUnit.SECONDS);
      assertThat(reply.body()).isSameAs(REPLY);
    }
    assertThat(received).hasSize(2).allSatisfy(body -> assertThat(body).isSameAs(REQUEST));
    router.close().await(5, TimeUnit.SECONDS);
  }
}
