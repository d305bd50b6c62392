package io.eventplane.gateway.sqs;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;


/**
 * SQS over AWS JSON 1.0 ({@code X-Amz-Target: AmazonSQS.<Operation>}). The body already is the
 * canonical input, so this only checks it and renders replies.
 */
public final class SqsJsonProtocol {
  public static final String TARGET_PREFIX = "AmazonSQS.";
  public static final JsonBinding BINDING = new JsonBinding("sqs", TARGET_PREFIX, Contracts.SQS, SqsModel.operations(),
      WireResponse.JSON_1_0, SqsErrors.TABLE, true, SqsModel.SLOW_OPERATIONS, SqsTraceHeader.MEMBERS);

  private SqsJsonProtocol() {}

  /** The operation an {@code X-Amz-Target} names, or InvalidAction (UnknownOperationException). */
  public static String operation(String target) {
    return BINDING.operation(target);
  }

  /** The input, {@code {}} for an empty body; anything but a JSON object is a SerializationException. */
  public static JsonObject input(Buffer body) {
    return JsonBinding.input(body);
  }

  public static WireResponse success(JsonObject output, String requestId) {
    return BINDING.success(output, requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
