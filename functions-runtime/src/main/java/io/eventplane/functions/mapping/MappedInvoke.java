package io.eventplane.functions.mapping;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.common.partition.NodeCalls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** The synchronous Invoke a poller makes with a batch's event, through the lane that owns the mapping's function. */
final class MappedInvoke {
  private static final String INTERNAL = "http://eventplane.internal";

  private MappedInvoke() {}

  /** The Invoke's reply as the service gave it (an error reply is a throttle or a function that cannot run). */
  static Future<ApiReply> invoke(Vertx vertx, String lambdaAddress, EventSourceMapping mapping, JsonObject event) {
    JsonObject input = new JsonObject().put("FunctionName", mapping.functionArn()).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    RequestContext context = new RequestContext(mapping.accountId(), mapping.region(), Ids.uuid(), INTERNAL);
    return vertx.eventBus().<ApiReply>request(lambdaAddress, new ApiRequest("Invoke", input, context),
        new DeliveryOptions().setSendTimeout(NodeCalls.INVOKE_TIMEOUT_MILLIS)).map(m -> m.body());
  }
}
