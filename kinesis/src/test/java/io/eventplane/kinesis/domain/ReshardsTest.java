package io.eventplane.kinesis.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Splits, merges and UNIFORM_SCALING as changes of a shard list. */
class ReshardsTest {
  private static final StreamRef REF = new StreamRef("000000000000", "us-east-1", "s");

  private static Streams.Live live(int shards) {
    return new Streams.Live(Stream.create(REF, 7, 1_000, "PROVISIONED", shards, Map.of()), Map.of());
  }

  private static Stream scaled(int from, int to) {
    Reshards.Change change = new Reshards.Change(live(from), 2_000);
    Reshards.uniform(change, to);
    return change.result();
  }

  @Test
  void uniformScalingMakesAsManyShardsAsAwsDoes() {
    // (open before, target, shards listed after): the totals AWS answers, as recorded by moto's tests against AWS.
    assertThat(scaled(2, 4).shards()).hasSize(6);
    assertThat(scaled(4, 2).shards()).hasSize(6);
    assertThat(scaled(4, 5).shards()).hasSize(15);
    assertThat(scaled(1, 2).shards()).hasSize(3);
  }

  @Test
  void uniformScalingEndsWithEvenRangesCoveringEveryHashKey() {
    for (int from = 1; from <= 12; from++) {
      for (int to = (from + 1) / 2; to <= 2 * from; to++) {
        Stream s = scaled(from, to);
        List<Shard> open = Reshards.openByHashKey(s);
        assertThat(open).as(from + " -> " + to).hasSize(to);
        BigInteger expected = BigInteger.ZERO;
        BigInteger width = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(to));
        for (Shard shard : open) {
          assertThat(shard.startingHashKey()).as(from + " -> " + to).isEqualTo(expected);
          BigInteger size = shard.endingHashKey().subtract(shard.startingHashKey()).add(BigInteger.ONE);
          assertThat(size.subtract(width).abs()).as(from + " -> " + to).isLessThanOrEqualTo(BigInteger.valueOf(2L * to));
          expected = shard.endingHashKey().add(BigInteger.ONE);
        }
        assertThat(expected).isEqualTo(HashKeys.MAX.add(BigInteger.ONE));
        for (Shard shard : s.shards()) {
          if (shard.parent() == null) continue;
          assertThat(s.shard(shard.parent()).open()).isFalse();
          if (shard.adjacentParent() != null) assertThat(s.shard(shard.adjacentParent()).open()).isFalse();
        }
      }
    }
  }

  @Test
  void aSplitClosesTheParentAtItsLastPositionAndNumbersTheChildrenOnward() {
    Streams.Live live = live(2);
    live.tail(1).take();
    live.tail(1).take();
    Reshards.Change change = new Reshards.Change(live, 5_000);
    List<Shard> children = change.split(live.stream().shard(1), HashKeys.start(3, 4));
    Stream s = change.result();
    Shard parent = s.shard(1);
    assertThat(parent.endingPosition()).isEqualTo(1);
    assertThat(parent.closedMillis()).isEqualTo(5_000);
    assertThat(children).extracting(Shard::index).containsExactly(2, 3);
    assertThat(children.get(0).endingHashKey().add(BigInteger.ONE)).isEqualTo(children.get(1).startingHashKey());
    assertThat(children.get(0).startingHashKey()).isEqualTo(parent.startingHashKey());
    assertThat(children.get(1).endingHashKey()).isEqualTo(HashKeys.MAX);
    assertThat(children).extracting(Shard::parent).containsExactly(1, 1);
    assertThat(Reshards.status(s, 5_000)).isEqualTo("UPDATING");
    assertThat(Reshards.status(s, 5_000 + Reshards.UPDATING_MILLIS)).isEqualTo("ACTIVE");
  }

  @Test
  void closedShardsLeaveListingsOnceTheirRecordsPassedRetention() {
    Streams.Live live = live(1);
    Reshards.Change change = new Reshards.Change(live, 10_000);
    change.split(live.stream().shard(0), HashKeys.start(1, 2));
    Stream s = change.result();
    long retention = s.retentionMillis();
    assertThat(Reshards.listed(s, 10_000 + retention - 1).shards()).hasSize(3);
    assertThat(Reshards.listed(s, 10_000 + retention).shards()).extracting(Shard::index).containsExactly(1, 2);
  }
}
