package io.eventplane.common.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.partition.Partitions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {
  private final PlacementPlanner planner = new PlacementPlanner(2);

  private static Map<Integer, PlacementEntry> apply(Map<Integer, PlacementEntry> table, List<PlacementEntry> changes) {
    Map<Integer, PlacementEntry> next = new HashMap<>(table);
    for (PlacementEntry e : changes) next.put(e.partition(), e);
    return next;
  }

  private static Map<Integer, Set<String>> allInSync(Map<Integer, PlacementEntry> table) {
    Map<Integer, Set<String>> out = new HashMap<>();
    table.forEach((p, e) -> out.put(p, Set.copyOf(e.replicas())));
    return out;
  }

  private Map<Integer, PlacementEntry> fresh(List<String> nodes) {
    return apply(Map.of(), planner.plan(Map.of(), nodes, Map.of(), Map.of()));
  }

  @Test
  void aNewClusterSpreadsOwnersAndReplicasEvenly() {
    Map<Integer, PlacementEntry> table = fresh(List.of("a", "b", "c"));
    assertThat(table).hasSize(Partitions.COUNT);
    Map<String, Integer> owned = new HashMap<>();
    for (PlacementEntry e : table.values()) {
      assertThat(e.epoch()).isEqualTo(1);
      assertThat(e.replicas()).hasSize(1).doesNotContain(e.owner());
      owned.merge(e.owner(), 1, Integer::sum);
    }
    assertThat(owned.values()).allSatisfy(n -> assertThat(n).isBetween(14, 30));
    assertThat(planner.plan(table, List.of("a", "b", "c"), allInSync(table), Map.of())).isEmpty();
  }

  @Test
  void aDeadOwnerIsReplacedByItsInSyncReplicaWithAHigherEpoch() {
    Map<Integer, PlacementEntry> table = fresh(List.of("a", "b", "c"));
    List<PlacementEntry> changes = planner.plan(table, List.of("b", "c"), allInSync(table), Map.of());
    for (PlacementEntry was : table.values()) {
      if (!was.owner().equals("a") && !was.replicas().contains("a")) continue;
      PlacementEntry now = changes.stream().filter(c -> c.partition() == was.partition()).findFirst().orElseThrow();
      assertThat(now.epoch()).isEqualTo(was.epoch() + 1);
      if (was.owner().equals("a")) assertThat(now.owner()).isEqualTo(was.replicas().get(0));
      assertThat(now.involves("a")).isFalse();
      assertThat(now.replicas()).hasSize(1);
    }
  }

  @Test
  void aDeadOwnerWithoutAnInSyncReplicaKeepsItsPartitionUntilItReturns() {
    Map<Integer, PlacementEntry> table = fresh(List.of("a", "b", "c"));
    List<PlacementEntry> changes = planner.plan(table, List.of("b", "c"), Map.of(), Map.of());
    for (PlacementEntry e : changes) assertThat(e.owner()).isNotEqualTo("a");
    for (PlacementEntry was : table.values()) {
      if (was.owner().equals("a")) assertThat(changes).noneMatch(c -> c.partition() == was.partition());
    }
  }

  @Test
  void aReturningNodeBecomesReplicaFirstAndOwnerOnlyOnceInSync() {
    List<String> all = List.of("a", "b", "c");
    Map<Integer, PlacementEntry> full = fresh(all);
    Map<Integer, PlacementEntry> withoutA = apply(full, planner.plan(full, List.of("b", "c"), allInSync(full), Map.of()));
    List<PlacementEntry> rejoin = planner.plan(withoutA, all, Map.of(), Map.of());
    Map<Integer, PlacementEntry> afterRejoin = apply(withoutA, rejoin);
    for (PlacementEntry e : rejoin) assertThat(e.owner()).isNotEqualTo("a");
    for (PlacementEntry original : full.values()) {
      if (original.owner().equals("a")) assertThat(afterRejoin.get(original.partition()).replicas()).contains("a");
    }
    Map<Integer, PlacementEntry> handedOver = apply(afterRejoin, planner.plan(afterRejoin, all, allInSync(afterRejoin), Map.of()));
    for (PlacementEntry original : full.values()) {
      assertThat(handedOver.get(original.partition()).owner()).isEqualTo(original.owner());
      assertThat(handedOver.get(original.partition()).replicas()).hasSize(1);
    }
  }

  @Test
  void afterAWholeClusterRestartTheFurthestCopyWins() {
    Map<String, Map<Integer, Position>> stored = Map.of(
        "a", Map.of(7, new Position(3, 100)),
        "b", Map.of(7, new Position(4, 2)),
        "c", Map.of(7, new Position(3, 900)));
    PlacementEntry p7 = planner.plan(Map.of(), List.of("a", "b", "c"), Map.of(), stored).stream()
        .filter(e -> e.partition() == 7).findFirst().orElseThrow();
    assertThat(p7.owner()).isEqualTo("b");
    assertThat(p7.epoch()).isEqualTo(5);
  }

  @Test
  void replicationFactorOneHasNoReplicasAndThreeHasTwo() {
    assertThat(new PlacementPlanner(1).plan(Map.of(), List.of("a", "b", "c"), Map.of(), Map.of()))
        .allSatisfy(e -> assertThat(e.replicas()).isEmpty());
    assertThat(new PlacementPlanner(3).plan(Map.of(), List.of("a", "b", "c"), Map.of(), Map.of()))
        .allSatisfy(e -> assertThat(e.replicas()).hasSize(2));
  }
}
