package io.eventplane.kinesis.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.kinesis.store.StoredRecord;
import org.junit.jupiter.api.Test;

class ShardTailTest {
  private static StoredRecord record(long position, int size) {
    return new StoredRecord(position, position * 10, false, "k", new byte[size]);
  }

  @Test
  void readersSeeOnlyWhatIsDurableWithoutGaps() {
    ShardTail tail = new ShardTail(5);
    assertThat(tail.read(5, 10, 1 << 20, 0).records()).isEmpty();
    long a = tail.take();
    long b = tail.take();
    long c = tail.take();
    assertThat(tail.visible()).isEqualTo(5);
    tail.committed(record(b, 1));
    assertThat(tail.visible()).isEqualTo(5);
    assertThat(tail.read(5, 10, 1 << 20, 0).records()).isEmpty();
    tail.failed(a);
    assertThat(tail.visible()).isEqualTo(7);
    // The failed position is a gap memory knows of: no store read needed.
    assertThat(tail.read(5, 10, 1 << 20, 0).records()).extracting(StoredRecord::position).containsExactly(6L);
    tail.committed(record(c, 1));
    ShardTail.Page page = tail.read(6, 1, 1 << 20, 0);
    assertThat(page.records()).extracting(StoredRecord::position).containsExactly(6L);
    assertThat(page.more()).isTrue();
    // Records older than what memory holds come from the store.
    assertThat(tail.read(2, 10, 1 << 20, 0)).isNull();
  }

  @Test
  void memoryKeepsOnlyTheNewestRecords() {
    ShardTail tail = new ShardTail(0);
    for (int i = 0; i < ShardTail.MAX_RECORDS + 10; i++) tail.committed(record(tail.take(), 10));
    assertThat(tail.read(0, 10, 1 << 20, 0)).isNull();
    assertThat(tail.read(10, 10_000, 1 << 20, 0).records()).hasSize(ShardTail.MAX_RECORDS);
    ShardTail big = new ShardTail(0);
    for (int i = 0; i < 3; i++) big.committed(record(big.take(), 600 * 1024));
    assertThat(big.read(1, 10, 1 << 20, 0)).isNull();
    assertThat(big.read(2, 10, 1 << 20, 0).records()).hasSize(1);
  }

  @Test
  void expiredRecordsLeaveMemory() {
    ShardTail tail = new ShardTail(0);
    for (int i = 0; i < 5; i++) tail.committed(record(tail.take(), 1));
    tail.expire(25);
    assertThat(tail.read(2, 10, 1 << 20, 0)).isNull();
    assertThat(tail.read(3, 10, 1 << 20, 0).records()).extracting(StoredRecord::position).containsExactly(3L, 4L);
  }
}
