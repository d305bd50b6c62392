package io.eventplane.gateway.kinesis;

import io.eventplane.gateway.binding.CborMembers;
import java.util.Set;

/**
 * Kinesis's output members that AWS CBOR types apart from their JSON form, from the service model
 * (botocore {@code kinesis/2013-12-02}): every blob and every timestamp member of an output shape.
 * Each of these names has that one type wherever the model uses it. The binding enables CBOR with
 * {@code .withCbor(KinesisCbor.MEMBERS)}.
 */
public final class KinesisCbor {
  public static final CborMembers MEMBERS = new CborMembers(
      Set.of("Data"),
      Set.of("ApproximateArrivalTimestamp", "StreamCreationTimestamp", "ConsumerCreationTimestamp",
          // MinimumThroughputBillingCommitmentOutput
          "StartedAt", "EndedAt", "EarliestAllowedEndAt"));

  private KinesisCbor() {}
}
