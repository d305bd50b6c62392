package io.eventplane.common.bus;

import io.eventplane.common.error.ServiceError;
import io.vertx.core.json.JsonObject;

/** The outcome of an {@link ApiRequest}: the output in the AWS JSON shape, or an AWS error. */
public record ApiReply(JsonObject output, ServiceError error) {
  public ApiReply {
    if ((output == null) == (error == null)) throw new IllegalArgumentException("exactly one of output and error");
  }

  public static ApiReply ok(JsonObject output) {
    return new ApiReply(output, null);
  }

  public static ApiReply failed(ServiceError error) {
    return new ApiReply(null, error);
  }

  public boolean succeeded() {
    return error == null;
  }
}
