package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors of REST-JSON services (Lambda): the code in the {@code x-amzn-ErrorType} header, a JSON body
 * with {@code Type} (User or Service), the message (under the member name the error's shape gives
 * it: {@code message} or {@code Message}) and the error's extra members
 * ({@code Reason}, {@code retryAfterSeconds}), and {@code Retry-After} when the error says when.
 */
public final class RestJsonErrorMapper {
  private static final String JSON = "application/json";

  private RestJsonErrorMapper() {}

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId) {
    WireError wire = table.of(error);
    JsonObject body = new JsonObject().put("Type", error.fault() == Fault.SENDER ? "User" : "Service")
        .put(table.messageMember(wire), error.message());
    if (error.details() != null) body.mergeIn(error.details());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId);
    headers.put("x-amzn-ErrorType", wire.jsonType());
    Object retryAfter = error.details() == null ? null : error.details().getValue("retryAfterSeconds");
    if (retryAfter != null) headers.put("Retry-After", String.valueOf(retryAfter));
    return new WireResponse(wire.status(), JSON, body.encode(), headers);
  }
}
