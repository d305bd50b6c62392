package io.eventplane.kinesis.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record layout: ordered reads per shard, the retention trim and the stream delete as ranges. */
class StreamStoreTest {
  private static final StreamRef REF = new StreamRef("000000000000", "us-east-1", "s");

  private static void put(Store store, StreamStore s, Stream stream, int shard, long position, long arrival) {
    Batch b = store.batch();
    s.putRecord(b, REF.partition(), stream.id(), shard, new StoredRecord(position, arrival, false, "k",
        ("r" + position).getBytes(StandardCharsets.UTF_8)));
    s.putNext(b, REF.partition(), stream.id(), shard, position + 1);
    store.commit(b).join();
  }

  @Test
  void readsTrimsAndDeletes() throws Exception {
    Path dir = Files.createTempDirectory("kinesis-store");
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of(StreamStore.COLUMN_FAMILY))) {
      StreamStore s = new StreamStore(store, null);
      Stream stream = Stream.create(REF, 42, 0, "PROVISIONED", 2, Map.of());
      Batch b = store.batch();
      s.putStream(b, stream);
      store.commit(b).join();
      for (long p = 0; p < 10; p++) put(store, s, stream, 0, p, p * 1000);
      put(store, s, stream, 1, 0, 0);

      StreamStore.Page page = s.read(REF.partition(), 42, 0, 3, Long.MAX_VALUE, 4, 1 << 20, 0);
      assertThat(page.records()).extracting(StoredRecord::position).containsExactly(3L, 4L, 5L, 6L);
      assertThat(page.more()).isTrue();
      assertThat(s.read(REF.partition(), 42, 0, 0, Long.MAX_VALUE, 100, 1 << 20, 5000).records()).extracting(StoredRecord::position)
          .containsExactly(5L, 6L, 7L, 8L, 9L);
      assertThat(s.firstAtOrAfter(REF.partition(), 42, 0, 2500)).isEqualTo(3);
      assertThat(s.firstAtOrAfter(REF.partition(), 42, 0, 99_000)).isEqualTo(-1);

      Batch trim = store.batch();
      assertThat(s.trim(trim, REF.partition(), 42, 0, 7000)).isTrue();
      store.commit(trim).join();
      assertThat(s.read(REF.partition(), 42, 0, 0, Long.MAX_VALUE, 100, 1 << 20, 0).records()).extracting(StoredRecord::position)
          .containsExactly(7L, 8L, 9L);
      assertThat(s.read(REF.partition(), 42, 1, 0, Long.MAX_VALUE, 100, 1 << 20, 0).records()).hasSize(1);

      StreamStore.Snapshot loaded = s.load(REF.partition());
      assertThat(loaded.streams()).extracting(Stream::id).containsExactly(42L);
      assertThat(loaded.next().get(42L)).isEqualTo(Map.of(0, 10L, 1, 1L));

      Batch delete = store.batch();
      s.deleteStream(delete, stream);
      store.commit(delete).join();
      assertThat(s.read(REF.partition(), 42, 0, 0, Long.MAX_VALUE, 100, 1 << 20, 0).records()).isEmpty();
      assertThat(s.read(REF.partition(), 42, 1, 0, Long.MAX_VALUE, 100, 1 << 20, 0).records()).isEmpty();
      assertThat(s.load(REF.partition()).streams()).isEmpty();
      assertThat(s.load(REF.partition()).next()).isEmpty();
    }
  }
}
