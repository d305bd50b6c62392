package io.eventplane.gateway.sqs;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.error.JsonErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * SQS over AWS JSON 1.0 ({@code X-Amz-Target: AmazonSQS.<Operation>}). The body already is the
 * canonical input, so this only checks it and renders replies.
 */
public final class SqsJsonProtocol {
  public static final String TARGET_PREFIX = "AmazonSQS.";

  private SqsJsonProtocol() {}

  /** The operation an {@code X-Amz-Target} names, or InvalidAction (UnknownOperationException). */
  public static String operation(String target) {
    String op = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
    if (!SqsModel.isOperation(op)) throw new ServiceException(GatewayErrors.unknownOperation(target));
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

  public static WireResponse success(JsonObject output, String requestId) {
    return WireResponse.of(200, WireResponse.JSON_1_0, output.encode()).withHeader("x-amzn-RequestId", requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return JsonErrors.render(error, requestId);
  }
}
