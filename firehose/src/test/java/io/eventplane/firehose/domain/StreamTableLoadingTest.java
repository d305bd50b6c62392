package io.eventplane.firehose.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.firehose.api.FirehosePartitions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane asked about a partition whose streams it has not loaded (the new owner during a failover,
 * before its load completes) must answer ServiceUnavailable, which the partition router tries again,
 * never ResourceNotFoundException for a delivery stream that exists or an empty ListDeliveryStreams;
 * and looking a stream up there must not make the partition look loaded (the table used to create an
 * empty map for any partition it was asked about).
 */
class StreamTableLoadingTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aPartitionNotLoadedHereIsUnavailableEvenAfterLookups() {
    StreamTable table = new StreamTable(vertx, vertx.getOrCreateContext(), null);
    int partition = FirehosePartitions.of("000000000000", "us-east-1");
    assertUnavailable(table, partition);
    assertThat(table.get(partition, "000000000000", "us-east-1", "failover-delivery")).isNull();
    assertThat(table.all(partition)).isEmpty();
    assertUnavailable(table, partition);
  }

  private static void assertUnavailable(StreamTable table, int partition) {
    assertThatThrownBy(() -> table.requireLoaded(partition)).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo(ServiceError.UNAVAILABLE_CODE);
      assertThat(e.error().message()).isEqualTo(StreamTable.NOT_LOADED);
    });
  }
}
