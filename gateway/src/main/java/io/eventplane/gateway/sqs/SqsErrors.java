package io.eventplane.gateway.sqs;

import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.WireError;

/**
 * SQS error codes on the wire, for both SQS protocols (and STS, which shares the common ones).
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
public final class SqsErrors {
  static final String SQS_NAMESPACE = "com.amazonaws.sqs#";
  static final String CORAL_NAMESPACE = "com.amazon.coral.service#";

  public static final ErrorTable TABLE = ErrorTable.builder(SQS_NAMESPACE)
      .queryCode("QueueDoesNotExist", 400, "AWS.SimpleQueueService.NonExistentQueue")
      // Recorded against SQS (LocalStack's validated test_non_existent_queue): XML says more than JSON.
      .queryMessage("QueueDoesNotExist", "The specified queue does not exist for this wsdl version.")
      .queryCode("QueueNameExists", 400, "QueueAlreadyExists")
      .queryCode("QueueDeletedRecently", 400, "AWS.SimpleQueueService.QueueDeletedRecently")
      .queryCode("PurgeQueueInProgress", 403, "AWS.SimpleQueueService.PurgeQueueInProgress")
      .queryCode("MessageNotInflight", 400, "AWS.SimpleQueueService.MessageNotInflight")
      .code("ReceiptHandleIsInvalid", 404)
      .code("InvalidIdFormat", 400)
      .queryCode("BatchEntryIdsNotDistinct", 400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
      .queryCode("BatchRequestTooLong", 400, "AWS.SimpleQueueService.BatchRequestTooLong")
      .queryCode("EmptyBatchRequest", 400, "AWS.SimpleQueueService.EmptyBatchRequest")
      .queryCode("InvalidBatchEntryId", 400, "AWS.SimpleQueueService.InvalidBatchEntryId")
      .queryCode("TooManyEntriesInBatchRequest", 400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest")
      .queryCode("UnsupportedOperation", 400, "AWS.SimpleQueueService.UnsupportedOperation")
      .code("InvalidAttributeName", 400)
      .code("InvalidAttributeValue", 400)
      .code("InvalidMessageContents", 400)
      .code("OverLimit", 403)
      .code("RequestThrottled", 403)
      .code("InvalidSecurity", 403)
      .code("InvalidAddress", 404)
      .code("ResourceNotFoundException", 404)
      .queryCode("KmsAccessDenied", 400, "KMS.AccessDeniedException")
      .queryCode("KmsDisabled", 400, "KMS.DisabledException")
      .queryCode("KmsInvalidKeyUsage", 400, "KMS.InvalidKeyUsageException")
      .queryCode("KmsInvalidState", 400, "KMS.InvalidStateException")
      .queryCode("KmsNotFound", 400, "KMS.NotFoundException")
      .queryCode("KmsOptInRequired", 403, "KMS.OptInRequired")
      .queryCode("KmsThrottled", 400, "KMS.ThrottlingException")
      .wire(common("InvalidParameterValue", 400, "InvalidParameterValueException", "InvalidParameterValue"))
      .wire(common("MissingParameter", 400, "MissingRequiredParameterException", "MissingParameter"))
      .wire(common("InvalidAction", 400, "UnknownOperationException", "InvalidAction"))
      .wire(common("MalformedQueryString", 400, "MalformedQueryString", "MalformedQueryString"))
      .wire(common("SerializationException", 400, "SerializationException", "MalformedInput"))
      .wire(common("RequestEntityTooLarge", 413, "RequestEntityTooLarge", "RequestEntityTooLarge"))
      .wire(common("AccessDenied", 403, "AccessDeniedException", "AccessDenied"))
      // A partition that is moving between nodes: SDKs retry a 503 ServiceUnavailable by themselves.
      .wire(common("ServiceUnavailable", 503, "ServiceUnavailable", "ServiceUnavailable"))
      // The Query name of an internal fault is InternalError, as SQS's Query API reports it.
      .wire(common("InternalFailure", 500, "InternalFailure", "InternalError"))
      .build();

  private SqsErrors() {}

  private static WireError common(String code, int status, String coralName, String queryCode) {
    return new WireError(code, status, queryCode, CORAL_NAMESPACE + coralName);
  }
}
