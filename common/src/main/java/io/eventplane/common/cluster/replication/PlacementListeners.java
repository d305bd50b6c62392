package io.eventplane.common.cluster.replication;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Context;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The Hazelcast events the placement agent acts on, wired to its callbacks. Hazelcast calls
 * listeners on its own event threads; every callback here only hops to the agent's context, which
 * owns all of the placement state, so no state is shared across threads.
 */
final class PlacementListeners {
  /** What the agent does on each kind of event, always on its context. */
  record Callbacks(Consumer<String> onRow, Runnable onInSync, Runnable onPositions, Runnable onMembers,
      Runnable onMerged) {}

  private final HazelcastInstance hazelcast;
  private final Context context;
  private final List<Runnable> removals = new CopyOnWriteArrayList<>();

  PlacementListeners(HazelcastInstance hazelcast, Context context) {
    this.hazelcast = hazelcast;
    this.context = context;
  }

  /**
   * Blocking (registers across the cluster): call on a worker, before the first full read of the
   * table, so that no change falls between the read and the listener.
   */
  void register(IMap<Integer, String> table, IMap<Integer, String> inSync, IMap<String, String> positions,
      Callbacks then) {
    UUID rows = table.addEntryListener(new RowListener<Integer, String>(e -> {
      String json = e.getValue();
      onContext(() -> then.onRow().accept(json));
    }), true);
    removals.add(() -> table.removeEntryListener(rows));
    UUID synced = inSync.addEntryListener(new RowListener<Integer, String>(e -> onContext(then.onInSync())), false);
    removals.add(() -> inSync.removeEntryListener(synced));
    UUID stored = positions.addEntryListener(new RowListener<String, String>(e -> onContext(then.onPositions())), false);
    removals.add(() -> positions.removeEntryListener(stored));
    UUID members = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        onContext(then.onMembers());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        onContext(then.onMembers());
      }
    });
    removals.add(() -> hazelcast.getCluster().removeMembershipListener(members));
    // After a split-brain merge the maps hold the merged cluster's entries, announced or not.
    UUID lifecycle = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.MERGED) onContext(then.onMerged());
    });
    removals.add(() -> hazelcast.getLifecycleService().removeLifecycleListener(lifecycle));
  }

  boolean isEmpty() {
    return removals.isEmpty();
  }

  /** Blocking: removes every listener registered so far. */
  void removeAll() {
    for (Runnable r : removals) r.run();
  }

  private void onContext(Runnable work) {
    context.runOnContext(v -> work.run());
  }

  /** Added, updated and merged entries, each handed to one callback (removals never happen here). */
  private record RowListener<K, V>(Consumer<EntryEvent<K, V>> then)
      implements EntryAddedListener<K, V>, EntryUpdatedListener<K, V>, EntryMergedListener<K, V> {
    @Override
    public void entryAdded(EntryEvent<K, V> event) {
      then.accept(event);
    }

    @Override
    public void entryUpdated(EntryEvent<K, V> event) {
      then.accept(event);
    }

    @Override
    public void entryMerged(EntryEvent<K, V> event) {
      then.accept(event);
    }
  }
}
