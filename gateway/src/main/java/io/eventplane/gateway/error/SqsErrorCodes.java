package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one table from SQS error codes to their HTTP status and wire names, for both SQS protocols
 * (and the few common errors STS shares).
 *
 * <p>Sources, checked for this table:
 *
 * <ul>
 *   <li>SQS-modelled errors: the {@code awsQueryError(code, httpResponseCode)} and
 *       {@code httpError} traits of the SQS Smithy model, as generated into aws-sdk-js-v3
 *       ({@code clients/client-sqs/src/schemas/schemas_0.ts}) and botocore's Query model (1.34,
 *       {@code error.code}). Note {@code InvalidSecurity}: the model's Query code is
 *       {@code InvalidSecurity}, not {@code AWS.SimpleQueueService.InvalidSecurity}. Shapes
 *       without the trait ({@code InvalidAttributeName}, {@code InvalidAttributeValue},
 *       {@code InvalidIdFormat}, {@code InvalidMessageContents}) keep their own name and 400.
 *   <li>{@code __type} of modelled errors is {@code com.amazonaws.sqs#<Shape>} (a real SQS
 *       answer quoted in softwaremill/elasticmq#903); SDKs that speak JSON to this Query-era
 *       service read the Query code from {@code x-amzn-query-error: <code>;Sender}
 *       (aws-sdk-js-v3#3972, elasticmq#1188).
 *   <li>Common errors are not in the SQS model: real SQS answers them from its framework
 *       ("coral") namespace with Java-style names: {@code InvalidParameterValue} as
 *       {@code com.amazon.coral.service#InvalidParameterValueException}, {@code MissingParameter}
 *       as {@code ...#MissingRequiredParameterException}, an unknown operation as
 *       {@code ...#UnknownOperationException} with Query code {@code InvalidAction}, and an
 *       unparsable body as {@code ...#SerializationException} with Query code
 *       {@code MalformedInput} (LocalStack's SQS serializer notes and AWS recordings published
 *       by another SQS emulator). {@code RequestEntityTooLarge} and {@code InternalFailure} in
 *       JSON follow the same pattern but are unverified.
 * </ul>
 */
public final class SqsErrorCodes {
  static final String SQS_NAMESPACE = "com.amazonaws.sqs#";
  static final String CORAL_NAMESPACE = "com.amazon.coral.service#";

  private static final Map<String, WireError> TABLE = Stream.of(
          modelled("QueueDoesNotExist", 400, "AWS.SimpleQueueService.NonExistentQueue"),
          modelled("QueueNameExists", 400, "QueueAlreadyExists"),
          modelled("QueueDeletedRecently", 400, "AWS.SimpleQueueService.QueueDeletedRecently"),
          modelled("PurgeQueueInProgress", 403, "AWS.SimpleQueueService.PurgeQueueInProgress"),
          modelled("MessageNotInflight", 400, "AWS.SimpleQueueService.MessageNotInflight"),
          modelled("ReceiptHandleIsInvalid", 404, "ReceiptHandleIsInvalid"),
          modelled("InvalidIdFormat", 400, "InvalidIdFormat"),
          modelled("BatchEntryIdsNotDistinct", 400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
          modelled("BatchRequestTooLong", 400, "AWS.SimpleQueueService.BatchRequestTooLong"),
          modelled("EmptyBatchRequest", 400, "AWS.SimpleQueueService.EmptyBatchRequest"),
          modelled("InvalidBatchEntryId", 400, "AWS.SimpleQueueService.InvalidBatchEntryId"),
          modelled("TooManyEntriesInBatchRequest", 400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
          modelled("UnsupportedOperation", 400, "AWS.SimpleQueueService.UnsupportedOperation"),
          modelled("InvalidAttributeName", 400, "InvalidAttributeName"),
          modelled("InvalidAttributeValue", 400, "InvalidAttributeValue"),
          modelled("InvalidMessageContents", 400, "InvalidMessageContents"),
          modelled("OverLimit", 403, "OverLimit"),
          modelled("RequestThrottled", 403, "RequestThrottled"),
          modelled("InvalidSecurity", 403, "InvalidSecurity"),
          modelled("InvalidAddress", 404, "InvalidAddress"),
          modelled("ResourceNotFoundException", 404, "ResourceNotFoundException"),
          modelled("KmsAccessDenied", 400, "KMS.AccessDeniedException"),
          modelled("KmsDisabled", 400, "KMS.DisabledException"),
          modelled("KmsInvalidKeyUsage", 400, "KMS.InvalidKeyUsageException"),
          modelled("KmsInvalidState", 400, "KMS.InvalidStateException"),
          modelled("KmsNotFound", 400, "KMS.NotFoundException"),
          modelled("KmsOptInRequired", 403, "KMS.OptInRequired"),
          modelled("KmsThrottled", 400, "KMS.ThrottlingException"),
          common("InvalidParameterValue", 400, "InvalidParameterValueException", "InvalidParameterValue"),
          common("MissingParameter", 400, "MissingRequiredParameterException", "MissingParameter"),
          common("InvalidAction", 400, "UnknownOperationException", "InvalidAction"),
          common("MalformedQueryString", 400, "MalformedQueryString", "MalformedQueryString"),
          common("SerializationException", 400, "SerializationException", "MalformedInput"),
          common("RequestEntityTooLarge", 413, "RequestEntityTooLarge", "RequestEntityTooLarge"),
          common("AccessDenied", 403, "AccessDeniedException", "AccessDenied"),
          // A partition that is moving between nodes: SDKs retry a 503 ServiceUnavailable by themselves.
          common("ServiceUnavailable", 503, "ServiceUnavailable", "ServiceUnavailable"),
          // The Query name of an internal fault is InternalError, as SQS's Query API reports it.
          common("InternalFailure", 500, "InternalFailure", "InternalError"))
      .collect(Collectors.toUnmodifiableMap(WireError::code, Function.identity()));

  private SqsErrorCodes() {}

  /**
   * The wire form of an error. A code outside the table passes through unchanged under the SQS
   * namespace, with 400 for the sender's fault and 500 for ours, so a new domain error is never
   * lost, only possibly mis-statused.
   */
  public static WireError of(ServiceError error) {
    WireError known = TABLE.get(error.code());
    if (known != null) return known;
    int status = error.fault() == Fault.RECEIVER ? 500 : 400;
    return new WireError(error.code(), status, error.code(), SQS_NAMESPACE + error.code());
  }

  private static WireError modelled(String code, int status, String queryCode) {
    return new WireError(code, status, queryCode, SQS_NAMESPACE + code);
  }

  private static WireError common(String code, int status, String coralName, String queryCode) {
    return new WireError(code, status, queryCode, CORAL_NAMESPACE + coralName);
  }
}
