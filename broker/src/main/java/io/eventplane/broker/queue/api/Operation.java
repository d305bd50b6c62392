package io.eventplane.broker.queue.api;

import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One SQS API operation: input and output in the AWS JSON shape. */
@FunctionalInterface
interface Operation {
  Future<JsonObject> apply(Inputs input, RequestContext context);
}
