package io.eventplane.gateway.logs;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.GatewayErrors;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * CloudWatch Logs over AWS JSON 1.1 ({@code X-Amz-Target: Logs_20140328.<Operation>}). Errors are
 * {@code {"__type": code, "message": ...}}: client errors with 400, faults with 500.
 */
public final class LogsJsonProtocol {
  public static final String TARGET_PREFIX = "Logs_20140328.";
  private static final Set<String> OPERATIONS = Set.of("DescribeLogGroups", "DescribeLogStreams", "GetLogEvents",
      "FilterLogEvents", "DeleteLogGroup", "DeleteLogStream");
  /** Codes the gateway and common layers raise, in the names CloudWatch Logs uses. */
  private static final Map<String, String> CODES = Map.of(
      "InvalidAction", "UnknownOperationException",
      "InternalFailure", "ServiceUnavailableException",
      "ServiceUnavailable", "ServiceUnavailableException",
      "RequestEntityTooLarge", "RequestEntityTooLargeException");

  private LogsJsonProtocol() {}

  public static boolean isTarget(String target) {
    return target != null && target.startsWith(TARGET_PREFIX);
  }

  public static String operation(String target) {
    String op = target.substring(TARGET_PREFIX.length());
    if (!OPERATIONS.contains(op)) throw new ServiceException(GatewayErrors.unknownOperation(target));
    return op;
  }

  public static WireResponse success(JsonObject output, String requestId) {
    return WireResponse.of(200, WireResponse.JSON_1_1, output.encode()).withHeader("x-amzn-RequestId", requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    String code = CODES.getOrDefault(error.code(), error.code());
    int status = "RequestEntityTooLargeException".equals(code) ? 413 : error.fault() == Fault.RECEIVER ? 500 : 400;
    String body = new JsonObject().put("__type", code).put("message", error.message()).encode();
    return WireResponse.of(status, WireResponse.JSON_1_1, body).withHeader("x-amzn-RequestId", requestId);
  }
}
