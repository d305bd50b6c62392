package io.eventplane.common.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.cluster.placement.PlacementEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementChangesTest {
  @Test
  void changesAreNamedByWhatMovedNewestFirstAndBounded() {
    PlacementChanges changes = new PlacementChanges();
    PlacementEntry first = new PlacementEntry(3, 1, "a", List.of("a", "b"));
    changes.applied(null, first, List.of("a", "b", "c"), 1_000);
    PlacementEntry handedOver = new PlacementEntry(3, 2, "b", List.of("b", "a"));
    changes.applied(first, handedOver, List.of("a", "b", "c"), 2_000);
    PlacementEntry failedOver = new PlacementEntry(3, 3, "c", List.of("c", "a"));
    changes.applied(handedOver, failedOver, List.of("a", "c"), 3_000);
    changes.applied(failedOver, new PlacementEntry(3, 4, "c", List.of("c", "b")), List.of("a", "b", "c"), 4_000);
    // The same owner and replicas at a newer epoch is no change.
    changes.applied(failedOver, new PlacementEntry(3, 5, "c", List.of("c", "a")), List.of("a", "c"), 5_000);

    JsonArray all = changes.recent(10, true);
    assertThat(all.stream().map(o -> ((JsonObject) o).getString("kind")).toList())
        .containsExactly("replicas", "failover", "handover", "placed");
    JsonObject failover = all.getJsonObject(1);
    assertThat(failover.getString("previousOwner")).isEqualTo("b");
    assertThat(failover.getString("owner")).isEqualTo("c");
    assertThat(failover.getLong("time")).isEqualTo(3_000L);
    assertThat(failover.getLong("epoch")).isEqualTo(3L);
    assertThat(all.getJsonObject(3).containsKey("previousOwner")).isFalse();
    assertThat(changes.recent(10, false)).hasSize(3);
    assertThat(changes.recent(2, true)).hasSize(2);

    for (int i = 0; i < PlacementChanges.CAPACITY + 50; i++) {
      changes.applied(new PlacementEntry(i % 64, i, "a", List.of("a")), new PlacementEntry(i % 64, i + 1, "b", List.of("b")),
          List.of(), i);
    }
    JsonArray kept = changes.recent(Integer.MAX_VALUE, true);
    assertThat(kept).hasSize(PlacementChanges.CAPACITY);
    assertThat(kept.getJsonObject(0).getLong("epoch")).isEqualTo((long) PlacementChanges.CAPACITY + 50);
  }
}
