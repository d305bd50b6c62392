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
      .withHeaders(SqsTraceHeader.MEMBERS).withJsonAnswers().withGetWithoutAction(SqsQueryProtocol::unknownOperation);

  /**
   * Actions of the service's endpoint, not of a queue's: SQS refuses them at a queue URL
   * (LocalStack's AWS-validated test_get_create_queue_fails, test_get_list_queues_fails). GetQueueUrl
   * it takes there (test_get_queue_url_work_for_different_queue).
   */
  private static final java.util.Set<String> NOT_AT_A_QUEUE = java.util.Set.of("CreateQueue", "ListQueues");
  /** A queue URL's path: {@code /<account>/<queue>}. */
  private static final java.util.regex.Pattern QUEUE_PATH = java.util.regex.Pattern.compile("/\\d{12}/[^/]+/?");

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
    if (path != null && NOT_AT_A_QUEUE.contains(action) && QUEUE_PATH.matcher(path).matches()) {
      throw new io.eventplane.common.error.ServiceException(io.eventplane.gateway.error.GatewayErrors.unknownOperation(action));
    }
    Shape.Operation op = SqsModel.operation(action);
    JsonObject input = QueryInputDecoder.decode(op.input(), params);
    boolean takesQueueUrl = op.input().members().stream().anyMatch(m -> m.name().equals("QueueUrl"));
    if (takesQueueUrl && !input.containsKey("QueueUrl") && path != null && path.length() > 1) {
      input.put("QueueUrl", baseUrl + path);
    }
    return input;
  }

  private static final java.util.regex.Pattern REGION_HOST =
      java.util.regex.Pattern.compile("sqs\\.([a-z]{2}(?:-[a-z]+)+-\\d{1,2})\\..+", java.util.regex.Pattern.CASE_INSENSITIVE);

  /**
   * The region a Host header of the form {@code sqs.<region>.<host>} names (the host of a
   * region-style queue URL), or null: such a request is SQS's even unsigned (not a virtual-hosted
   * S3 bucket), and its region is the host's when no signature names one.
   */
  public static String regionOfHost(String host) {
    if (host == null || host.length() < 8 || !host.regionMatches(true, 0, "sqs.", 0, 4)) return null;
    java.util.regex.Matcher m = REGION_HOST.matcher(host);
    return m.matches() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
  }

  /**
   * A GET that names no action, at a queue URL or the endpoint: 404 and an empty
   * {@code UnknownOperationException} element, in XML whatever the Accept header asks (LocalStack's
   * AWS-validated test_get_without_query_returns_unknown_operation and
   * test_get_without_query_json_format_returns_returns_xml).
   */
  static WireResponse unknownOperation(String requestId) {
    return WireResponse.of(404, WireResponse.XML, "<UnknownOperationException/>").withHeader("x-amzn-RequestId", requestId);
  }

  public static WireResponse success(String action, JsonObject output, String requestId) {
    return BINDING.success(action, output, requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
