package io.eventplane.gateway.sns;

import io.eventplane.gateway.error.ErrorTable;

/**
 * SNS error codes and their HTTP status, from the {@code error} traits of botocore's SNS model
 * (2010-03-31, botocore 1.43): the topic service reports these codes as they go on the wire
 * ({@code NotFound}, {@code InvalidParameter}, ...). An internal fault is {@code InternalError},
 * as SNS calls it.
 */
public final class SnsErrors {
  public static final ErrorTable TABLE = ErrorTable.builder("")
      .code("AuthorizationError", 403)
      .code("BatchEntryIdsNotDistinct", 400)
      .code("BatchRequestTooLong", 400)
      .code("ConcurrentAccess", 400)
      .code("EmptyBatchRequest", 400)
      .code("EndpointDisabled", 400)
      .code("FilterPolicyLimitExceeded", 403)
      .code("InternalError", 500)
      .code("InvalidBatchEntryId", 400)
      .code("InvalidParameter", 400)
      .code("ParameterValueInvalid", 400)
      .code("InvalidSecurity", 403)
      .code("InvalidState", 400)
      .code("KMSNotFound", 400)
      .code("NotFound", 404)
      .code("OptedOut", 400)
      .code("PlatformApplicationDisabled", 400)
      .code("UserError", 400)
      // The model's VerificationException has no error trait: its code is its shape's name.
      .code("VerificationException", 400)
      .code("ReplayLimitExceeded", 403)
      .code("ResourceNotFound", 404)
      .code("StaleTag", 400)
      .code("SubscriptionLimitExceeded", 403)
      .code("TagLimitExceeded", 400)
      .code("TagPolicy", 400)
      .code("Throttled", 429)
      .code("TooManyEntriesInBatchRequest", 400)
      .code("TopicLimitExceeded", 403)
      .code("ValidationException", 400)
      // Not in the model's error shapes, but what SNS's request validation answers
      // ("1 validation error detected: Value null at 'name' ...").
      .code("ValidationError", 400)
      .code("InvalidAction", 400)
      .code("MissingParameter", 400)
      .code("MalformedQueryString", 400)
      .code("RequestEntityTooLarge", 413)
      .code("ServiceUnavailable", 503)
      .renamed("InternalFailure", 500, "InternalError")
      .build();

  private SnsErrors() {}
}
