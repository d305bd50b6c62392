package io.eventplane.gateway.cloudtrail;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import java.util.Map;
import java.util.Set;

/**
 * CloudTrail over AWS JSON 1.1 ({@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>},
 * the target prefix of the service model, signing name {@code cloudtrail}). Errors are
 * {@code {"__type": code, "message": ...}}, client errors with 400.
 */
public final class CloudTrailJsonProtocol {
  public static final String TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
  private static final Set<String> OPERATIONS = Set.of("LookupEvents", "CreateTrail", "GetTrail", "DescribeTrails",
      "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging", "GetTrailStatus", "PutEventSelectors", "GetEventSelectors",
      "AddTags", "RemoveTags", "ListTags");
  /** Codes the gateway and common layers raise, in the names CloudTrail's model has. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .renamed("InvalidAction", 400, "UnknownOperationException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .build();
  public static final JsonBinding BINDING = new JsonBinding("cloudtrail", TARGET_PREFIX, Contracts.CLOUDTRAIL, OPERATIONS,
      WireResponse.JSON_1_1, ERRORS, false, Map.of());

  private CloudTrailJsonProtocol() {}
}
