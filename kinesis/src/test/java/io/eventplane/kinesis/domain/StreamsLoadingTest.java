package io.eventplane.kinesis.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane asked about a stream of a partition it has not loaded (the new owner during a failover,
 * before its load completes) must not answer ResourceNotFoundException for a stream that exists:
 * KinesisClusterFailoverProcessIT saw producers told exactly that in the seconds after the owner's
 * SIGKILL. It answers ServiceUnavailable, which the partition router tries again.
 */
class StreamsLoadingTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aStreamOfAPartitionNotLoadedHereIsUnavailableNotMissing() {
    Streams streams = new Streams(vertx, vertx.getOrCreateContext(), null);
    StreamRef ref = new StreamRef("000000000000", "us-east-1", "failover-stream");
    assertThatThrownBy(() -> streams.require(ref)).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.error().code()).isEqualTo(ServiceError.UNAVAILABLE_CODE));
    assertThatThrownBy(() -> streams.get(ref)).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.error().code()).isEqualTo(ServiceError.UNAVAILABLE_CODE));
  }
}
