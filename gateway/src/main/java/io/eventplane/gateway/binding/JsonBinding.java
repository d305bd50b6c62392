package io.eventplane.gateway.binding;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.error.JsonErrorMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A service on AWS JSON 1.0 or 1.1 ({@code X-Amz-Target: <prefix><Operation>}): the body is the
 * canonical input already.
 *
 * @param contentType {@code application/x-amz-json-1.0} or {@code -1.1}
 * @param queryCompatible whether errors carry {@code x-amzn-query-error} (services that moved from Query)
 * @param cbor for a service that also speaks AWS CBOR (Kinesis), its members that CBOR types apart;
 *     null when it speaks JSON only, and a CBOR body is then as malformed as any non-JSON
 */
public record JsonBinding(String signingName, String targetPrefix, String address, Set<String> operations,
    String contentType, ErrorTable errors, boolean queryCompatible, Map<String, Duration> slowOperations,
    HeaderMembers headers, CborMembers cbor) implements ProtocolBinding {

  public JsonBinding {
    operations = Set.copyOf(operations);
    slowOperations = Map.copyOf(slowOperations);
    headers = headers == null ? HeaderMembers.NONE : headers;
  }

  /** A service that speaks JSON only. */
  public JsonBinding(String signingName, String targetPrefix, String address, Set<String> operations, String contentType,
      ErrorTable errors, boolean queryCompatible, Map<String, Duration> slowOperations, HeaderMembers headers) {
    this(signingName, targetPrefix, address, operations, contentType, errors, queryCompatible, slowOperations, headers,
        null);
  }

  /** A service that takes no input from headers. */
  public JsonBinding(String signingName, String targetPrefix, String address, Set<String> operations, String contentType,
      ErrorTable errors, boolean queryCompatible, Map<String, Duration> slowOperations) {
    this(signingName, targetPrefix, address, operations, contentType, errors, queryCompatible, slowOperations, null);
  }

  /** This binding, also answering AWS CBOR requests in CBOR with these members typed. */
  public JsonBinding withCbor(CborMembers members) {
    return new JsonBinding(signingName, targetPrefix, address, operations, contentType, errors, queryCompatible,
        slowOperations, headers, java.util.Objects.requireNonNull(members, "members"));
  }

  /** Whether a request of this Content-Type is answered in CBOR: the service speaks it and the client sent it. */
  public boolean speaksCbor(String requestContentType) {
    return cbor != null && (cbor.rpcV2() ? Cbor.isRpcV2(requestContentType) : Cbor.isCbor(requestContentType));
  }

  public boolean isTarget(String target) {
    return target != null && target.startsWith(targetPrefix);
  }

  /** The operation an {@code X-Amz-Target} names, or InvalidAction (UnknownOperationException). */
  public String operation(String target) {
    String op = isTarget(target) ? target.substring(targetPrefix.length()) : null;
    if (op == null || !operations.contains(op)) throw new ServiceException(GatewayErrors.unknownOperation(target));
    return op;
  }

  /** The input, {@code {}} for an empty body; anything but a JSON object is a SerializationException. */
  public static JsonObject input(Buffer body) {
    if (body.length() == 0) return new JsonObject();
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ServiceException(GatewayErrors.unparsableJson("malformed JSON"));
    }
    if (value instanceof JsonObject json) return json;
    throw new ServiceException(GatewayErrors.unparsableJson("the body is not an object"));
  }

  /** The input of a request in the wire form its Content-Type names (JSON, or CBOR where spoken). */
  public JsonObject input(Buffer body, String requestContentType) {
    return speaksCbor(requestContentType) ? Cbor.input(body, cbor.rpcV2()) : input(body);
  }

  public WireResponse success(JsonObject output, String requestId) {
    return WireResponse.of(200, contentType, output.encode()).withHeader("x-amzn-RequestId", requestId);
  }

  /** The answer in the wire form of the request: CBOR to a CBOR request where spoken, else JSON. */
  public WireResponse success(JsonObject output, String requestId, String requestContentType) {
    if (!speaksCbor(requestContentType)) return success(output, requestId);
    if (cbor.rpcV2()) {
      return WireResponse.ofBytes(200, Cbor.RPC_V2_CONTENT_TYPE, Cbor.output(output, cbor),
          Map.of("x-amzn-RequestId", requestId, Cbor.SMITHY_PROTOCOL, Cbor.RPC_V2_CBOR));
    }
    return WireResponse.ofBytes(200, Cbor.CONTENT_TYPE, Cbor.output(output, cbor), Map.of("x-amzn-RequestId", requestId));
  }

  public WireResponse error(ServiceError error, String requestId) {
    return JsonErrorMapper.render(errors, error, requestId, contentType, queryCompatible);
  }

  /** The error in the wire form of the request, as {@link #success(JsonObject, String, String)}. */
  public WireResponse error(ServiceError error, String requestId, String requestContentType) {
    if (!speaksCbor(requestContentType)) return error(error, requestId);
    return cbor.rpcV2()
        ? JsonErrorMapper.renderRpcV2Cbor(errors, error, requestId, queryCompatible)
        : JsonErrorMapper.renderCbor(errors, error, requestId, queryCompatible);
  }
}
