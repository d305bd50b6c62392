package io.eventplane.storage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import org.junit.jupiter.api.Test;

class PartCopiesTest {
  @Test
  void copySourceRangesAreBytesFirstLast() {
    assertThat(PartCopies.parseRange("bytes=0-0")).containsExactly(0, 0);
    assertThat(PartCopies.parseRange("bytes=5-10485759")).containsExactly(5, 10485759);
    for (String bad : new String[] {"bytes=5-", "bytes=-5", "bytes=6-5", "5-6", "bytes=a-b", "bytes=0-1,3-4", "bytes=99999999999999999999-1"}) {
      assertThatThrownBy(() -> PartCopies.parseRange(bad)).as(bad).isInstanceOf(ServiceException.class)
          .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("InvalidArgument"));
    }
  }
}
