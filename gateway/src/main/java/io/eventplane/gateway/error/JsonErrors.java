package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.json.JsonObject;

/** Renders errors of the SQS AWS JSON 1.0 protocol. */
public final class JsonErrors {
  /** Carries the Query code so SDKs generated from the Query-era model map their exceptions. */
  public static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

  private JsonErrors() {}

  public static WireResponse render(ServiceError error, String requestId) {
    WireError wire = SqsErrorCodes.of(error);
    String body = new JsonObject().put("__type", wire.jsonType()).put("message", error.message()).encode();
    return WireResponse.of(wire.status(), WireResponse.JSON_1_0, body)
        .withHeader(QUERY_ERROR_HEADER, wire.queryCode() + ";" + faultName(error.fault()))
        .withHeader("x-amzn-RequestId", requestId);
  }

  static String faultName(Fault fault) {
    return fault == Fault.RECEIVER ? "Receiver" : "Sender";
  }
}
