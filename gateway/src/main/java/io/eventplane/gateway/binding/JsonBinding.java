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
 */
public record JsonBinding(String signingName, String targetPrefix, String address, Set<String> operations,
    String contentType, ErrorTable errors, boolean queryCompatible, Map<String, Duration> slowOperations,
    HeaderMembers headers) implements ProtocolBinding {

  public JsonBinding {
    operations = Set.copyOf(operations);
    slowOperations = Map.copyOf(slowOperations);
    headers = headers == null ? HeaderMembers.NONE : headers;
  }

  /** A service that takes no input from headers. */
  public JsonBinding(String signingName, String targetPrefix, String address, Set<String> operations, String contentType,
      ErrorTable errors, boolean queryCompatible, Map<String, Duration> slowOperations) {
    this(signingName, targetPrefix, address, operations, contentType, errors, queryCompatible, slowOperations, null);
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

  public WireResponse success(JsonObject output, String requestId) {
    return WireResponse.of(200, contentType, output.encode()).withHeader("x-amzn-RequestId", requestId);
  }

  public WireResponse error(ServiceError error, String requestId) {
    return JsonErrorMapper.render(errors, error, requestId, contentType, queryCompatible);
  }
}
