package io.eventplane.storage.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.eventplane.storage.domain.StoredObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The noncurrent-version keys: order, lookup, reopen, and the blobs the start-up sweep must keep. */
class ObjectStoreVersionsTest {
  @TempDir Path dir;

  private static StoredObject version(String key, String blob, String versionId, long seq) {
    return new StoredObject(key, 1, "\"e\"", 0, Map.of(), Map.of(), null, null, null, 0,
        List.of(new StoredObject.Segment(blob, 1)), Map.of()).withVersion(versionId, seq);
  }

  @Test
  void noncurrentVersionsScanNewestFirstPerKeyAndSurviveAReopen() {
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of(ObjectStore.COLUMN_FAMILY))) {
      ObjectStore objects = new ObjectStore(store, null);
      Batch b = store.batch();
      objects.putObject(b, "bkt", version("a", "current-a", "v9", 9));
      objects.putVersion(b, "bkt", version("a", "old-a-1", "v1", 1));
      objects.putVersion(b, "bkt", version("a", "old-a-5", "v5", 5));
      objects.putVersion(b, "bkt", version("a", "legacy-a", null, 0));
      // Keys that extend "a" must not mix into a's versions.
      objects.putVersion(b, "bkt", version("a/b", "old-ab", "v3", 3));
      objects.putVersion(b, "bkt", version("ab", "old-ab2", "v4", 4));
      objects.putVersion(b, "other", version("a", "other-a", "v2", 2));
      store.commit(b).join();
    }
    try (Store store = Store.open(dir, Durability.FSYNC, 100, List.of(ObjectStore.COLUMN_FAMILY))) {
      ObjectStore objects = new ObjectStore(store, null);
      assertThat(objects.versions("bkt", "a")).extracting(StoredObject::versionId).containsExactly("v5", "v1", null);
      assertThat(objects.versions("bkt", "a/b")).extracting(StoredObject::versionId).containsExactly("v3");
      assertThat(objects.getVersion("bkt", "a", 5).segments().get(0).blobId()).isEqualTo("old-a-5");
      assertThat(objects.getVersion("bkt", "a", 7)).isNull();
      assertThat(objects.getObject("bkt", "a").versionId()).isEqualTo("v9");
      assertThat(objects.hasObjects("other")).isTrue();
      assertThat(ObjectStore.referencedBlobs(store)).containsExactlyInAnyOrder("current-a", "old-a-1", "old-a-5", "legacy-a",
          "old-ab", "old-ab2", "other-a");

      Batch b = store.batch();
      objects.deleteVersion(b, "other", objects.versions("other", "a").get(0));
      store.commit(b).join();
      assertThat(objects.hasObjects("other")).isFalse();
    }
  }
}
