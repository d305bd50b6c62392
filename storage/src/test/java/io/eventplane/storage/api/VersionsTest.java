package io.eventplane.storage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionsTest {
  @Test
  void idsAreUrlSafeSortNewestFirstAndNameTheirSeq() {
    Random random = new Random(7);
    List<String> ids = new ArrayList<>();
    for (long seq : new long[] {1, 999, 1_700_000_000_000_000L, 1_700_000_000_000_001L, Long.MAX_VALUE - 1}) {
      String id = Versions.idOf(seq, random);
      assertThat(id).matches("[A-Za-z0-9_-]{32}");
      assertThat(Versions.seqOf(id)).isEqualTo(seq);
      ids.add(id);
    }
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    assertThat(sorted).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void idsThatAreNotOursAreInvalidArguments() {
    for (String bad : new String[] {"", "abc", "null!", "zzzzzzzzzzzzzzzzAAAAAAAAAAAAAAAA", "7ffe8e5a1c2b3d4fAAAAAAAAAAAAAA/A",
        "ffffffffffffffffAAAAAAAAAAAAAAAA", "7ffe8e5a1c2b3d4fAAAAAAAAAAAAAAAAA"}) {
      assertThat(Versions.seqOf(bad)).as(bad).isEqualTo(-1);
      assertThatThrownBy(() -> Versions.requireWellFormed(bad)).as(bad).isInstanceOf(ServiceException.class)
          .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("InvalidArgument"));
    }
    assertThat(Versions.requireWellFormed("null")).isEqualTo("null");
    assertThat(Versions.requireWellFormed(null)).isNull();
  }

  @Test
  void aCopySourceMayNameAVersion() {
    assertThat(CopySource.parse("/src/dir/my%20file.txt?versionId=7ffe8e5a1c2b3d4fAAAAAAAAAAAAAAAA"))
        .containsExactly("src", "dir/my file.txt", "7ffe8e5a1c2b3d4fAAAAAAAAAAAAAAAA");
    assertThat(CopySource.parse("src/k")).containsExactly("src", "k", null);
  }
}
