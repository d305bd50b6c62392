package io.eventplane.common.cluster.placement;

import io.eventplane.common.partition.Partitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's decisions, as a pure function of what it knows: the current table, the live
 * members, which replicas are in sync with their owner, and (for partitions missing from the table,
 * such as after a whole-cluster restart) how far each node's stored copy goes.
 *
 * <p>Rules per partition, in order:
 * <ol>
 *   <li>No entry: the node with the most recent stored copy owns it (epoch above anything seen);
 *       nobody has a copy: the partition's first-ranked live node.
 *   <li>Owner dead: promote the best-ranked live replica that is in sync; none in sync: leave the
 *       entry as it is (the partition waits for its owner: acknowledged writes are never dropped).
 *   <li>Owner alive but not the partition's first-ranked node (a node joined): make that node a
 *       replica; once it is in sync, hand ownership to it.
 *   <li>Otherwise keep live replicas and fill up to the replication factor by ranking.
 * </ol>
 */
public final class PlacementPlanner {
  /** A node's stored copy of a partition: the epoch and sequence of the last batch it applied. */
  public record Position(long epoch, long seq) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return epoch != o.epoch ? Long.compare(epoch, o.epoch) : Long.compare(seq, o.seq);
    }
  }

  private final int replicationFactor;

  public PlacementPlanner(int replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  /**
   * The entries to write (changed or new). {@code inSync} holds, per partition, the replicas its
   * owner reports as holding every acknowledged write at the entry's current epoch.
   */
  public List<PlacementEntry> plan(Map<Integer, PlacementEntry> table, List<String> live,
      Map<Integer, Set<String>> inSync, Map<String, Map<Integer, Position>> positions) {
    List<PlacementEntry> changes = new ArrayList<>();
    if (live.isEmpty()) return changes;
    for (int p = 0; p < Partitions.COUNT; p++) {
      PlacementEntry e = table.get(p);
      PlacementEntry next = e == null ? fresh(p, live, positions) : evolve(e, live, inSync.getOrDefault(p, Set.of()));
      if (next != null && !next.equals(e)) changes.add(next);
    }
    return changes;
  }

  private PlacementEntry fresh(int p, List<String> live, Map<String, Map<Integer, Position>> positions) {
    List<String> ranking = Rendezvous.ranking(p, live);
    String owner = ranking.get(0);
    Position best = null;
    for (String node : ranking) {
      Position pos = positions.getOrDefault(node, Map.of()).get(p);
      if (pos != null && (best == null || pos.compareTo(best) > 0)) {
        best = pos;
        owner = node;
      }
    }
    return new PlacementEntry(p, best == null ? 1 : best.epoch() + 1, owner, fill(p, owner, List.of(), live));
  }

  private PlacementEntry evolve(PlacementEntry e, List<String> live, Set<String> synced) {
    int p = e.partition();
    List<String> ranking = Rendezvous.ranking(p, live);
    List<String> aliveReplicas = e.replicas().stream().filter(live::contains).toList();
    if (!live.contains(e.owner())) {
      for (String candidate : ranking) {
        if (aliveReplicas.contains(candidate) && synced.contains(candidate)) {
          List<String> keep = aliveReplicas.stream().filter(r -> !r.equals(candidate)).toList();
          return new PlacementEntry(p, e.epoch() + 1, candidate, fill(p, candidate, keep, live));
        }
      }
      return e;
    }
    String desired = ranking.get(0);
    if (!desired.equals(e.owner())) {
      if (aliveReplicas.contains(desired) && synced.contains(desired)) {
        return new PlacementEntry(p, e.epoch() + 1, desired, fill(p, desired, List.of(), live));
      }
      LinkedHashSet<String> replicas = new LinkedHashSet<>(aliveReplicas);
      replicas.add(desired);
      List<String> next = fill(p, e.owner(), new ArrayList<>(replicas), live);
      return sameSet(next, e.replicas()) ? e : new PlacementEntry(p, e.epoch() + 1, e.owner(), next);
    }
    // Trim replicas beyond the factor (left over from a hand-over), keeping in-sync ones first.
    List<String> keep = new ArrayList<>(aliveReplicas);
    keep.sort(java.util.Comparator.comparing((String r) -> !synced.contains(r)).thenComparingInt(ranking::indexOf));
    if (keep.size() > replicationFactor - 1) keep = keep.subList(0, Math.max(0, replicationFactor - 1));
    List<String> next = fill(p, e.owner(), keep, live);
    return sameSet(next, e.replicas()) ? e : new PlacementEntry(p, e.epoch() + 1, e.owner(), next);
  }

  /** Keeps {@code keep} and adds nodes by ranking until there are replicationFactor - 1 replicas. */
  private List<String> fill(int p, String owner, List<String> keep, Collection<String> live) {
    LinkedHashSet<String> out = new LinkedHashSet<>(keep);
    out.remove(owner);
    for (String node : Rendezvous.ranking(p, live)) {
      if (out.size() >= replicationFactor - 1) break;
      if (!node.equals(owner)) out.add(node);
    }
    return new ArrayList<>(out);
  }

  private static boolean sameSet(List<String> a, List<String> b) {
    return a.size() == b.size() && Set.copyOf(a).equals(Set.copyOf(b));
  }
}
