package io.eventplane.gateway.firehose;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import java.util.Map;
import java.util.Set;

/**
 * Firehose over AWS JSON 1.1 ({@code X-Amz-Target: Firehose_20150804.<Operation>}, the target prefix
 * of the service model, signing name {@code firehose}). Errors are {@code {"__type": code, "message": ...}},
 * client errors with 400.
 */
public final class FirehoseJsonProtocol {
  public static final String TARGET_PREFIX = "Firehose_20150804.";
  private static final Set<String> OPERATIONS = Set.of("CreateDeliveryStream", "DeleteDeliveryStream", "DescribeDeliveryStream",
      "ListDeliveryStreams", "UpdateDestination", "PutRecord", "PutRecordBatch", "StartDeliveryStreamEncryption",
      "StopDeliveryStreamEncryption", "TagDeliveryStream", "UntagDeliveryStream", "ListTagsForDeliveryStream");
  /** Codes the gateway and common layers raise, in the names Firehose's model has. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .renamed("InvalidAction", 400, "UnknownOperationException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailableException")
      .build();
  public static final JsonBinding BINDING = new JsonBinding("firehose", TARGET_PREFIX, Contracts.FIREHOSE, OPERATIONS,
      WireResponse.JSON_1_1, ERRORS, false, Map.of());

  private FirehoseJsonProtocol() {}
}
