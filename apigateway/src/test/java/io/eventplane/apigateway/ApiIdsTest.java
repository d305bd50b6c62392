package io.eventplane.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.partition.Partitions;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApiIdsTest {
  private final ApiIds ids = new ApiIds(new Random(7));

  @Test
  void anApiIdNamesItsPartitionInItsFirstTwoCharacters() {
    for (int p = 0; p < Partitions.COUNT; p++) {
      String id = ids.apiId(p);
      assertThat(id).matches("[a-z0-9]{10}");
      assertThat(ApiIds.partitionOf(id)).isEqualTo(p);
    }
    assertThat(ids.apiId(0)).startsWith("00");
    assertThat(ids.apiId(35)).startsWith("0z");
    assertThat(ids.apiId(63)).startsWith("1r");
  }

  @Test
  void textThatIsNoApiIdOfThisServerHasNoPartition() {
    assertThat(ApiIds.partitionOf(null)).isEqualTo(-1);
    assertThat(ApiIds.partitionOf("abc")).isEqualTo(-1);
    assertThat(ApiIds.partitionOf("00ABCDEFGH")).isEqualTo(-1);
    assertThat(ApiIds.partitionOf("zz12345678")).isEqualTo(-1);
    assertThat(ApiIds.partitionOf("1s12345678")).isEqualTo(-1);
    assertThat(ApiIds.partitionOf("00-2345678")).isEqualTo(-1);
    assertThatThrownBy(() -> ids.apiId(64)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void childIdsAreSevenCharacters() {
    assertThat(ids.childId()).matches("[a-z0-9]{7}");
  }
}
