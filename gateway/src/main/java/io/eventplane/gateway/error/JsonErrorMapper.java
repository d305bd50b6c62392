package io.eventplane.gateway.error;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.json.JsonObject;

/**
 * Errors of AWS JSON 1.0 and 1.1: {@code {"__type": ..., "message": ...}}. Services that moved from
 * Query to JSON (SQS) also send {@code x-amzn-query-error: <Query code>;Sender|Receiver}, so SDKs
 * generated from the Query-era model map their exceptions.
 */
public final class JsonErrorMapper {
  public static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

  private JsonErrorMapper() {}

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId, String contentType,
      boolean queryCompatible) {
    WireError wire = table.of(error);
    String body = new JsonObject().put("__type", wire.jsonType()).put("message", error.message()).encode();
    WireResponse response = WireResponse.of(wire.status(), contentType, body).withHeader("x-amzn-RequestId", requestId);
    return queryCompatible
        ? response.withHeader(QUERY_ERROR_HEADER, wire.queryCode() + ";" + QueryErrorMapper.faultName(error.fault()))
        : response;
  }
}
