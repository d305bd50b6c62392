package io.eventplane.gateway.events;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.WireResponse;
import java.util.Map;
import java.util.Set;

/**
 * EventBridge over AWS JSON 1.1 ({@code X-Amz-Target: AWSEvents.<Operation>}, signing name
 * {@code events}). Errors are {@code {"__type": code, "message": ...}}: client errors with 400,
 * InternalException with 500.
 */
public final class EventBridgeJsonProtocol {
  public static final String TARGET_PREFIX = "AWSEvents.";
  private static final Set<String> OPERATIONS = Set.of("CreateEventBus", "DescribeEventBus", "ListEventBuses",
      "DeleteEventBus", "PutRule", "DescribeRule", "ListRules", "DeleteRule", "EnableRule", "DisableRule",
      "ListRuleNamesByTarget", "PutTargets", "ListTargetsByRule", "RemoveTargets", "TestEventPattern", "TagResource",
      "UntagResource", "ListTagsForResource", "PutEvents", "UpdateEventBus", "PutPermission", "RemovePermission",
      "CreateArchive", "DescribeArchive", "ListArchives", "UpdateArchive", "DeleteArchive", "StartReplay", "DescribeReplay",
      "ListReplays", "CancelReplay", "CreateConnection", "DescribeConnection", "ListConnections", "UpdateConnection",
      "DeleteConnection", "DeauthorizeConnection", "CreateApiDestination", "DescribeApiDestination", "ListApiDestinations",
      "UpdateApiDestination", "DeleteApiDestination");
  /** Codes the gateway and common layers raise, in the names EventBridge uses. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .renamed("InvalidAction", 400, "UnknownOperationException")
      .renamed("InternalFailure", 500, "InternalException")
      .renamed("ServiceUnavailable", 500, "InternalException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .build();
  public static final JsonBinding BINDING = new JsonBinding("events", TARGET_PREFIX, Contracts.EVENTS, OPERATIONS,
      WireResponse.JSON_1_1, ERRORS, false, Map.of());

  private EventBridgeJsonProtocol() {}
}
