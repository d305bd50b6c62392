package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import java.util.Map;

/**
 * SNS error codes and their HTTP status, from the {@code error} traits of botocore's SNS model
 * (2010-03-31, botocore 1.43): the topic service reports these codes as they go on the wire
 * ({@code NotFound}, {@code InvalidParameter}, ...). The gateway's own errors map to their SNS
 * equivalents; an internal fault is {@code InternalError}, as SNS calls it.
 */
public final class SnsErrorCodes {
  /** @param code the {@code <Code>} of the XML error */
  public record Wire(String code, int status, boolean senderFault) {}

  private static final Map<String, Integer> STATUS = Map.ofEntries(
      Map.entry("AuthorizationError", 403),
      Map.entry("BatchEntryIdsNotDistinct", 400),
      Map.entry("BatchRequestTooLong", 400),
      Map.entry("ConcurrentAccess", 400),
      Map.entry("EmptyBatchRequest", 400),
      Map.entry("EndpointDisabled", 400),
      Map.entry("FilterPolicyLimitExceeded", 403),
      Map.entry("InternalError", 500),
      Map.entry("InvalidBatchEntryId", 400),
      Map.entry("InvalidParameter", 400),
      Map.entry("ParameterValueInvalid", 400),
      Map.entry("InvalidSecurity", 403),
      Map.entry("InvalidState", 400),
      Map.entry("KMSNotFound", 400),
      Map.entry("NotFound", 404),
      Map.entry("ReplayLimitExceeded", 403),
      Map.entry("ResourceNotFound", 404),
      Map.entry("StaleTag", 400),
      Map.entry("SubscriptionLimitExceeded", 403),
      Map.entry("TagLimitExceeded", 400),
      Map.entry("TagPolicy", 400),
      Map.entry("Throttled", 429),
      Map.entry("TooManyEntriesInBatchRequest", 400),
      Map.entry("TopicLimitExceeded", 403),
      Map.entry("ValidationException", 400),
      // The gateway's and the cluster's own errors.
      Map.entry("InvalidAction", 400),
      Map.entry("MissingParameter", 400),
      Map.entry("MalformedQueryString", 400),
      Map.entry("RequestEntityTooLarge", 413),
      Map.entry("ServiceUnavailable", 503));

  private SnsErrorCodes() {}

  public static Wire of(ServiceError error) {
    if ("InternalFailure".equals(error.code())) return new Wire("InternalError", 500, false);
    Integer status = STATUS.get(error.code());
    if (status == null) status = error.fault() == Fault.RECEIVER ? 500 : 400;
    return new Wire(error.code(), status, error.fault() == Fault.SENDER);
  }
}
