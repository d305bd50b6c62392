package io.eventplane.gateway.sqs;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.QueryErrors;
import io.eventplane.gateway.query.QueryInputDecoder;
import io.eventplane.gateway.query.QueryXmlEncoder;
import io.eventplane.gateway.query.Shape;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** SQS over the AWS Query protocol: form parameters in, XML out. */
public final class SqsQueryProtocol {
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
    String xml;
    try {
      xml = QueryXmlEncoder.encode(SqsModel.MODEL, action, output, requestId);
    } catch (IllegalStateException e) {
      return error(ServiceError.internal("The service answered " + action + " with output the Query protocol cannot carry: "
          + e.getMessage()), requestId);
    }
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return QueryErrors.render(error, requestId, SqsModel.XML_NAMESPACE);
  }
}
