package io.eventplane.gateway.error;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.Cbor;
import io.eventplane.gateway.binding.CborMembers;
import io.vertx.core.json.JsonObject;

/**
 * Errors of AWS JSON 1.0 and 1.1: {@code {"__type": ..., "message": ...}}. Services that moved from
 * Query to JSON (SQS) also send {@code x-amzn-query-error: <Query code>;Sender|Receiver}, so SDKs
 * generated from the Query-era model map their exceptions.
 */
public final class JsonErrorMapper {
  public static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

  private JsonErrorMapper() {}

  /** The header AWS's CBOR answers name an error's code in; SDK v2 reads it before the body's {@code __type}. */
  public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId, String contentType,
      boolean queryCompatible) {
    WireError wire = table.of(error);
    WireResponse response = WireResponse.of(wire.status(), contentType, body(wire, error).encode())
        .withHeader("x-amzn-RequestId", requestId);
    return queryCompatible ? withQueryError(response, wire, error) : response;
  }

  /**
   * The same error in AWS CBOR: the body's map as in JSON, and the code also in
   * {@code x-amzn-ErrorType} (without the {@code __type}'s namespace).
   */
  public static WireResponse renderCbor(ErrorTable table, ServiceError error, String requestId, boolean queryCompatible) {
    WireError wire = table.of(error);
    String type = wire.jsonType();
    WireResponse response = WireResponse.ofBytes(wire.status(), Cbor.CONTENT_TYPE, Cbor.output(body(wire, error), NO_MEMBERS),
        java.util.Map.of("x-amzn-RequestId", requestId, ERROR_TYPE_HEADER, type.substring(type.indexOf('#') + 1)));
    return queryCompatible ? withQueryError(response, wire, error) : response;
  }

  /**
   * The error in Smithy RPC v2 CBOR: the body's map ({@code __type} the error's shape id) in
   * {@code application/cbor} with {@code smithy-protocol: rpc-v2-cbor}.
   */
  public static WireResponse renderRpcV2Cbor(ErrorTable table, ServiceError error, String requestId, boolean queryCompatible) {
    WireError wire = table.of(error);
    WireResponse response = WireResponse.ofBytes(wire.status(), Cbor.RPC_V2_CONTENT_TYPE,
        Cbor.output(body(wire, error), NO_MEMBERS),
        java.util.Map.of("x-amzn-RequestId", requestId, Cbor.SMITHY_PROTOCOL, Cbor.RPC_V2_CBOR));
    return queryCompatible ? withQueryError(response, wire, error) : response;
  }

  private static final CborMembers NO_MEMBERS = new CborMembers(java.util.Set.of(), java.util.Set.of());

  private static JsonObject body(WireError wire, ServiceError error) {
    return new JsonObject().put("__type", wire.jsonType()).put("message", error.message());
  }

  private static WireResponse withQueryError(WireResponse response, WireError wire, ServiceError error) {
    return response.withHeader(QUERY_ERROR_HEADER, wire.queryCode() + ";" + QueryErrorMapper.faultName(error.fault()));
  }
}
