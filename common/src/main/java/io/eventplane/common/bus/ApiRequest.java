package io.eventplane.common.bus;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One AWS API call on its way to a service: the operation name as in the API reference and its
 * input in the AWS JSON shape (member names as in the API reference), whatever wire protocol the
 * client used. Replied to with an {@link ApiReply}. The input is shared, not copied, on the local
 * event bus: receivers must not modify it.
 */
public record ApiRequest(String operation, JsonObject input, RequestContext context) {
  public ApiRequest {
    Objects.requireNonNull(operation, "operation");
    input = input == null ? new JsonObject() : input;
    Objects.requireNonNull(context, "context");
  }
}
