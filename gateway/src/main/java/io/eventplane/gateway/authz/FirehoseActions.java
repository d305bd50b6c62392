package io.eventplane.gateway.authz;

/**
 * "Actions, resources, and condition keys for Amazon Data Firehose": delivery streams are
 * {@code arn:aws:firehose:region:account:deliverystream/name}; ListDeliveryStreams has no resource.
 */
final class FirehoseActions {
  private FirehoseActions() {}

  static final ServiceActions TABLE = ActionTable.builder("firehose")
      .same((c, a) -> a.named("firehose", "deliverystream", c.string("DeliveryStreamName")), "CreateDeliveryStream",
          "DeleteDeliveryStream", "DescribeDeliveryStream", "UpdateDestination", "PutRecord", "PutRecordBatch",
          "StartDeliveryStreamEncryption", "StopDeliveryStreamEncryption", "TagDeliveryStream", "UntagDeliveryStream",
          "ListTagsForDeliveryStream")
      .anyResource("ListDeliveryStreams")
      .build();
}
