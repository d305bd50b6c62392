package io.eventplane.gateway.logs;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
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
      "FilterLogEvents", "DeleteLogGroup", "DeleteLogStream", "CreateLogGroup", "CreateLogStream", "PutLogEvents",
      "PutRetentionPolicy", "DeleteRetentionPolicy");
  /** Codes the gateway and common layers raise, in the names CloudWatch Logs uses. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .renamed("InvalidAction", 400, "UnknownOperationException")
      .renamed("InternalFailure", 500, "ServiceUnavailableException")
      .renamed("ServiceUnavailable", 500, "ServiceUnavailableException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .build();
  public static final JsonBinding BINDING = new JsonBinding("logs", TARGET_PREFIX, Contracts.LOGS, OPERATIONS,
      WireResponse.JSON_1_1, ERRORS, false, Map.of());

  private LogsJsonProtocol() {}

  public static boolean isTarget(String target) {
    return BINDING.isTarget(target);
  }

  public static String operation(String target) {
    return BINDING.operation(target);
  }

  public static WireResponse success(JsonObject output, String requestId) {
    return BINDING.success(output, requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
