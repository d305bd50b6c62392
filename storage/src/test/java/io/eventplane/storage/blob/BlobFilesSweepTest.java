package io.eventplane.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep of blob files nothing references, which runs after a node's start beside uploads:
 * it only ever deletes files listed at the start, so a blob an upload writes meanwhile is safe
 * whatever its modification time says.
 */
class BlobFilesSweepTest {
  @TempDir Path root;

  private Path blob(String id, long modifiedMillis) throws Exception {
    Path f = Files.createDirectories(root.resolve(id.substring(0, 2))).resolve(id);
    Files.write(f, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(f, FileTime.fromMillis(modifiedMillis));
    return f;
  }

  @Test
  void deletesOnlyUnreferencedBlobsListedAtTheStart() throws Exception {
    Path kept = blob("aa-referenced", 0);
    Path orphan = blob("ab-orphan", 0);
    Set<String> atStart = BlobFiles.list(root);
    // written by an upload after the start, with a clock that stepped back: still not a candidate
    Path uploading = blob("ac-written-after-the-start", 0);

    int deleted = BlobFiles.sweepUnreferenced(root, atStart, Set.of("aa-referenced")::contains, 0, () -> false);

    assertThat(atStart).containsExactlyInAnyOrder("aa-referenced", "ab-orphan");
    assertThat(deleted).isEqualTo(1);
    assertThat(orphan).doesNotExist();
    assertThat(kept).exists();
    assertThat(uploading).exists();
  }

  @Test
  void clusteredTheSweepSparesBlobsYoungerThanTheGrace() throws Exception {
    Path young = blob("ab-young", System.currentTimeMillis() - 1_000);
    Path old = blob("ac-old", System.currentTimeMillis() - 120_000);

    BlobFiles.sweepUnreferenced(root, BlobFiles.list(root), id -> false, 60_000, () -> false);

    assertThat(young).exists();
    assertThat(old).doesNotExist();
  }

  @Test
  void incomingIsNeitherListedNorSweptButClearedWhenAskedAtStart() throws Exception {
    Files.createDirectories(root.resolve("incoming"));
    Path half = Files.write(root.resolve("incoming").resolve("half-written"), new byte[] {1});
    assertThat(BlobFiles.list(root)).isEmpty();

    BlobFiles.clearIncoming(root);

    assertThat(half).doesNotExist();
  }

  @Test
  void aStoppingNodeEndsTheSweepAtOnce() throws Exception {
    Path orphan = blob("ab-orphan", 0);

    assertThat(BlobFiles.sweepUnreferenced(root, BlobFiles.list(root), id -> false, 0, () -> true)).isZero();
    assertThat(orphan).exists();
  }
}
