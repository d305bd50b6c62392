package io.eventplane.common.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LaneDispatchTest {
  private static ApiRequest about(int partition) {
    return new ApiRequest("Op", new JsonObject().put("p", partition), new RequestContext("000000000000", "us-east-1", "r", "http://x"));
  }

  @Test
  void aPartitionGoesToLanePModuloN() {
    LaneDispatch d = new LaneDispatch("eventplane.sqs", 3, r -> r.input().getInteger("p"));
    assertThat(d.addressOf(about(0))).isEqualTo("eventplane.sqs.lane.0");
    assertThat(d.addressOf(about(7))).isEqualTo("eventplane.sqs.lane.1");
    assertThat(d.addressOf(about(63))).isEqualTo("eventplane.sqs.lane.0");
    assertThat(Lanes.nodeAddress("eventplane.sqs", 2, "n1")).isEqualTo("eventplane.sqs.lane.2.node.n1");
  }

  @Test
  void aRequestAboutNoPartitionGoesToSomeLane() {
    LaneDispatch d = new LaneDispatch("eventplane.sqs", 2, r -> PartitionRouter.ANY);
    for (int i = 0; i < 20; i++) {
      assertThat(d.addressOf(about(0))).isIn("eventplane.sqs.lane.0", "eventplane.sqs.lane.1");
    }
  }
}
