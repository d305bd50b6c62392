package io.eventplane.gateway.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.WireError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqsErrorsTest {
  @ParameterizedTest
  @CsvSource({
      "QueueDoesNotExist, 400, AWS.SimpleQueueService.NonExistentQueue, com.amazonaws.sqs#QueueDoesNotExist",
      "QueueNameExists, 400, QueueAlreadyExists, com.amazonaws.sqs#QueueNameExists",
      "QueueDeletedRecently, 400, AWS.SimpleQueueService.QueueDeletedRecently, com.amazonaws.sqs#QueueDeletedRecently",
      "PurgeQueueInProgress, 403, AWS.SimpleQueueService.PurgeQueueInProgress, com.amazonaws.sqs#PurgeQueueInProgress",
      "MessageNotInflight, 400, AWS.SimpleQueueService.MessageNotInflight, com.amazonaws.sqs#MessageNotInflight",
      "ReceiptHandleIsInvalid, 404, ReceiptHandleIsInvalid, com.amazonaws.sqs#ReceiptHandleIsInvalid",
      "InvalidIdFormat, 400, InvalidIdFormat, com.amazonaws.sqs#InvalidIdFormat",
      "BatchEntryIdsNotDistinct, 400, AWS.SimpleQueueService.BatchEntryIdsNotDistinct, com.amazonaws.sqs#BatchEntryIdsNotDistinct",
      "BatchRequestTooLong, 400, AWS.SimpleQueueService.BatchRequestTooLong, com.amazonaws.sqs#BatchRequestTooLong",
      "EmptyBatchRequest, 400, AWS.SimpleQueueService.EmptyBatchRequest, com.amazonaws.sqs#EmptyBatchRequest",
      "InvalidBatchEntryId, 400, AWS.SimpleQueueService.InvalidBatchEntryId, com.amazonaws.sqs#InvalidBatchEntryId",
      "TooManyEntriesInBatchRequest, 400, AWS.SimpleQueueService.TooManyEntriesInBatchRequest, com.amazonaws.sqs#TooManyEntriesInBatchRequest",
      "UnsupportedOperation, 400, AWS.SimpleQueueService.UnsupportedOperation, com.amazonaws.sqs#UnsupportedOperation",
      "InvalidAttributeName, 400, InvalidAttributeName, com.amazonaws.sqs#InvalidAttributeName",
      "InvalidAttributeValue, 400, InvalidAttributeValue, com.amazonaws.sqs#InvalidAttributeValue",
      "InvalidMessageContents, 400, InvalidMessageContents, com.amazonaws.sqs#InvalidMessageContents",
      "OverLimit, 403, OverLimit, com.amazonaws.sqs#OverLimit",
      "RequestThrottled, 403, RequestThrottled, com.amazonaws.sqs#RequestThrottled",
      "InvalidSecurity, 403, InvalidSecurity, com.amazonaws.sqs#InvalidSecurity",
      "InvalidAddress, 404, InvalidAddress, com.amazonaws.sqs#InvalidAddress",
      "ResourceNotFoundException, 404, ResourceNotFoundException, com.amazonaws.sqs#ResourceNotFoundException",
      "KmsThrottled, 400, KMS.ThrottlingException, com.amazonaws.sqs#KmsThrottled",
      "InvalidParameterValue, 400, InvalidParameterValue, com.amazon.coral.service#InvalidParameterValueException",
      "MissingParameter, 400, MissingParameter, com.amazon.coral.service#MissingRequiredParameterException",
      "InvalidAction, 400, InvalidAction, com.amazon.coral.service#UnknownOperationException",
      "MalformedQueryString, 400, MalformedQueryString, com.amazon.coral.service#MalformedQueryString",
      "SerializationException, 400, MalformedInput, com.amazon.coral.service#SerializationException",
      "RequestEntityTooLarge, 413, RequestEntityTooLarge, com.amazon.coral.service#RequestEntityTooLarge",
      "AccessDenied, 403, AccessDenied, com.amazon.coral.service#AccessDeniedException",
      "InternalFailure, 500, InternalError, com.amazon.coral.service#InternalFailure",
  })
  void mapsEveryKnownCode(String code, int status, String queryCode, String jsonType) {
    assertThat(SqsErrors.TABLE.of(ServiceError.sender(code, "m"))).isEqualTo(new WireError(code, status, queryCode, jsonType));
  }

  @Test
  void unknownCodesPassThroughWithAStatusByFault() {
    assertThat(SqsErrors.TABLE.of(ServiceError.sender("SomethingNew", "m")))
        .isEqualTo(new WireError("SomethingNew", 400, "SomethingNew", "com.amazonaws.sqs#SomethingNew"));
    assertThat(SqsErrors.TABLE.of(new ServiceError("Broken", "m", io.eventplane.common.error.Fault.RECEIVER)).status())
        .isEqualTo(500);
  }

  @Test
  void jsonErrorsCarryTypeMessageAndTheQueryHeader() {
    WireResponse reply = SqsJsonProtocol.error(ServiceError.sender("QueueDoesNotExist", "The specified queue does not exist."), "r1");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.contentType()).isEqualTo("application/x-amz-json-1.0");
    assertThat(new JsonObject(reply.body())).isEqualTo(new JsonObject()
        .put("__type", "com.amazonaws.sqs#QueueDoesNotExist").put("message", "The specified queue does not exist."));
    assertThat(reply.headers())
        .containsEntry("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")
        .containsEntry("x-amzn-RequestId", "r1");
    assertThat(SqsJsonProtocol.error(ServiceError.internal("boom"), "r2").headers())
        .containsEntry("x-amzn-query-error", "InternalError;Receiver");
  }

  @Test
  void queryErrorsAreXmlErrorResponses() {
    WireResponse reply = SqsQueryProtocol.error(ServiceError.sender("ReceiptHandleIsInvalid", "bad <handle>"), "r1");
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.contentType()).isEqualTo("text/xml");
    assertThat(reply.body()).isEqualTo("<?xml version=\"1.0\"?>"
        + "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
        + "<Code>ReceiptHandleIsInvalid</Code><Message>bad &lt;handle&gt;</Message><Detail/></Error>"
        + "<RequestId>r1</RequestId></ErrorResponse>");
  }
}
