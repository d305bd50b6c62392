package io.eventplane.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.partition.Partitions;
import org.junit.jupiter.api.Test;

class AccessKeyIdsTest {
  @Test
  void everyPartitionIsNamedAndReadBack() {
    for (int p = 0; p < Partitions.COUNT; p++) {
      String id = AccessKeyIds.create(p);
      assertThat(id).hasSize(20).matches("AKIA[A-Z2-7]{16}");
      assertThat(AccessKeyIds.partitionOf(id)).isEqualTo(p);
    }
  }

  @Test
  void idsThatNameNoPartition() {
    assertThat(AccessKeyIds.partitionOf(null)).isEqualTo(-1);
    assertThat(AccessKeyIds.partitionOf("AKIAIOSFODNN7EXAMPLE")).isEqualTo(-1); // "IO" is partition 270
    assertThat(AccessKeyIds.partitionOf("ASIAAAAAAAAAAAAAAAAA")).isEqualTo(-1);
    assertThat(AccessKeyIds.partitionOf("AKIAAAAAAAAAAAAAAAA")).isEqualTo(-1);
    assertThat(AccessKeyIds.partitionOf("AKIAAAAAAAAAAAAAAAA1")).isEqualTo(-1);
    assertThat(AccessKeyIds.partitionOf("akiaaaaaaaaaaaaaaaaa")).isEqualTo(-1);
    assertThat(AccessKeyIds.partitionOf("AKIAABAAAAAAAAAAAAAA")).isEqualTo(1);
  }

  @Test
  void secretsLikeAws() {
    String secret = AccessKeyIds.secret();
    assertThat(secret).hasSize(40).matches("[A-Za-z0-9+/]{40}");
    assertThat(AccessKeyIds.secret()).isNotEqualTo(secret);
  }
}
