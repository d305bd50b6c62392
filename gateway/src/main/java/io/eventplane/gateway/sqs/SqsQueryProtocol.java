package io.eventplane.gateway.sqs;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.query.QueryInputDecoder;
import io.eventplane.gateway.query.Shape;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** SQS over the AWS Query protocol: form parameters in, XML out. */
public final class SqsQueryProtocol {
  public static final QueryBinding BINDING = QueryBinding.of("sqs", Contracts.SQS, SqsModel.MODEL, SqsModel.API_VERSION,
      SqsErrors.TABLE).withErrorDetail().withInput(SqsQueryProtocol::input).withSlowOperations(SqsModel.SLOW_OPERATIONS)
      .withHeaders(SqsTraceHeader.MEMBERS);

  private SqsQueryProtocol() {}

  /**
   * The canonical JSON input of a Query action.
   *
   * @param path the request path; Query clients may post to the queue URL itself
   *     ({@code /000000000000/orders}) and leave out {@code QueueUrl}, which is then rebuilt from
   *     the base URL and this path
   * @throws io.eventplane.common.error.ServiceException for a map entry without its key
   */
  public static JsonObject input(String action, Map<String, String> params, String path, String baseUrl) {
    Shape.Operation op = SqsModel.operation(action);
    JsonObject input = QueryInputDecoder.decode(op.input(), params);
    boolean takesQueueUrl = op.input().members().stream().anyMatch(m -> m.name().equals("QueueUrl"));
    if (takesQueueUrl && !input.containsKey("QueueUrl") && path != null && path.length() > 1) {
      input.put("QueueUrl", baseUrl + path);
    }
    return input;
  }

  public static WireResponse success(String action, JsonObject output, String requestId) {
    return BINDING.success(action, output, requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
