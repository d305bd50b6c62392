package io.eventplane.common.bus;

import io.eventplane.common.error.Fault;
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

  JsonObject toJson() {
    if (error == null) return new JsonObject().put("output", output);
    JsonObject e = new JsonObject().put("code", error.code()).put("message", error.message()).put("fault", error.fault().name());
    if (error.details() != null) e.put("details", error.details());
    return new JsonObject().put("error", e);
  }

  static ApiReply fromJson(JsonObject json) {
    JsonObject e = json.getJsonObject("error");
    if (e == null) return ok(json.getJsonObject("output"));
    return failed(new ServiceError(e.getString("code"), e.getString("message"), Fault.valueOf(e.getString("fault")),
        e.getJsonObject("details")));
  }
}
