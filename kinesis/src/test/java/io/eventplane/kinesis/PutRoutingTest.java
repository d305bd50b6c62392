package io.eventplane.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.kinesis.domain.Streams;
import org.junit.jupiter.api.Test;

/**
 * A put is tried again only when nothing can have written it: the lane had not loaded the
 * partition. An owner that did not answer (it died under the put) may have written and replicated
 * it, so that failure goes to the client, and so do the owner's own errors.
 */
class PutRoutingTest {
  @Test
  void onlyAFailureThatWroteNothingIsTriedAgain() {
    assertThat(PutRouting.unwritten(new ServiceException(ServiceError.unavailable(Streams.NOT_LOADED)))).isTrue();
    assertThat(PutRouting.unwritten(new ServiceException(ServiceError.unavailable(
        "Node n0 did not answer: NO_HANDLERS node n0 left the cluster")))).isFalse();
    assertThat(PutRouting.unwritten(new ServiceException(ServiceError.unavailable(
        "The partition's replicas did not confirm the write in time; retry.")))).isFalse();
    assertThat(PutRouting.unwritten(new ServiceException(ServiceError.sender("ResourceNotFoundException", "x")))).isFalse();
    assertThat(PutRouting.unwritten(new IllegalStateException("bug"))).isFalse();
  }
}
