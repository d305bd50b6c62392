package io.eventplane.kinesis.domain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Resharding as changes of a stream's shard list: a split or a merge closes its parents (their
 * last position taken so far is their end) and appends children whose indexes continue after the
 * highest; a child's positions start at 0 in its own key range. Pure functions of the definition
 * and the shards' next positions; the caller applies the result on the lane and writes it whole.
 *
 * <p>A reshard is done at once (writes go to the children from the next request on), but the stream
 * shows {@code UPDATING} for {@link #UPDATING_MILLIS} of service time afterwards, as AWS shows it
 * while it works, and refuses another reshard meanwhile. The state is derived from the newest
 * child's creation time, so it is as durable as the definition and needs no timer.
 */
public final class Reshards {
  /** How long (service clock) a stream stays UPDATING after a reshard. */
  public static final long UPDATING_MILLIS = 1_000;

  private Reshards() {}

  /** ACTIVE, or UPDATING while a reshard is recent. */
  public static String status(Stream s, long now) {
    for (Shard shard : s.shards()) {
      if (shard.parent() != null && now < shard.createdMillis() + UPDATING_MILLIS) return "UPDATING";
    }
    return "ACTIVE";
  }

  /**
   * The stream as listings show it: a closed shard is gone once its records have all passed the
   * retention period (AWS's EXPIRED shards, left out of DescribeStream and ListShards).
   */
  public static Stream listed(Stream s, long now) {
    List<Shard> kept = new ArrayList<>();
    for (Shard shard : s.shards()) if (!expired(s, shard, now)) kept.add(shard);
    return kept.size() == s.shards().size() ? s : s.withShards(kept);
  }

  static boolean expired(Stream s, Shard shard, long now) {
    return shard.closedMillis() != null && shard.closedMillis() + s.retentionMillis() <= now;
  }

  /** The stream's open shards in hash-key order. */
  public static List<Shard> openByHashKey(Stream s) {
    List<Shard> open = new ArrayList<>();
    for (Shard shard : s.shards()) if (shard.open()) open.add(shard);
    open.sort(Comparator.comparing(Shard::startingHashKey));
    return open;
  }

  /** Whether two shards' hash-key ranges join with no gap (in either order). */
  public static boolean adjacent(Shard a, Shard b) {
    return a.endingHashKey().add(BigInteger.ONE).equals(b.startingHashKey())
        || b.endingHashKey().add(BigInteger.ONE).equals(a.startingHashKey());
  }

  /**
   * A stream being resharded: its shard list as it grows, and the next positions of the shards
   * it closes (their ends).
   */
  public static final class Change {
    private final List<Shard> shards;
    private final Streams.Live live;
    private final long now;
    private int nextIndex;

    public Change(Streams.Live live, long now) {
      this.live = live;
      this.shards = new ArrayList<>(live.stream().shards());
      this.now = now;
      for (Shard s : shards) nextIndex = Math.max(nextIndex, s.index() + 1);
    }

    /** The stream with every change so far. */
    public Stream result() {
      return live.stream().withShards(shards);
    }

    /** Splits an open shard so that the upper child starts at {@code key} (start < key <= end); answers the two children, lower first. */
    public List<Shard> split(Shard parent, BigInteger key) {
      close(parent);
      Shard lower = child(parent.index(), null, parent.startingHashKey(), key.subtract(BigInteger.ONE));
      Shard upper = child(parent.index(), null, key, parent.endingHashKey());
      return List.of(lower, upper);
    }

    /** Merges two adjacent open shards into one child (ParentShardId the first, AdjacentParentShardId the second). */
    public Shard merge(Shard shard, Shard adjacent) {
      close(shard);
      close(adjacent);
      BigInteger start = shard.startingHashKey().min(adjacent.startingHashKey());
      BigInteger end = shard.endingHashKey().max(adjacent.endingHashKey());
      return child(shard.index(), adjacent.index(), start, end);
    }

    private void close(Shard s) {
      Shard current = find(s.index());
      if (current == null || !current.open()) throw new IllegalStateException("shard " + s.id() + " is not open");
      long end = live.next(s.index()) - 1;
      shards.set(shards.indexOf(current), new Shard(current.index(), current.parent(), current.adjacentParent(),
          current.startingHashKey(), current.endingHashKey(), current.startingPosition(), end, current.createdMillis(), now));
    }

    private Shard find(int index) {
      for (Shard s : shards) if (s.index() == index) return s;
      return null;
    }

    private Shard child(int parent, Integer adjacentParent, BigInteger start, BigInteger end) {
      Shard c = new Shard(nextIndex++, parent, adjacentParent, start, end, 0, null, now, null);
      shards.add(c);
      return c;
    }
  }

  /**
   * UpdateShardCount's UNIFORM_SCALING: the open shards become {@code target} shards splitting the
   * hash-key space evenly ({@link HashKeys#start}), reached as AWS reaches it, by splits and
   * merges: every open shard is split at each target boundary inside it, then the pieces of each
   * target range are merged left to right. Doubling splits every shard once and halving merges
   * pairs; other targets make short-lived shards (created and closed at once) on the way. A target
   * boundary within {@code target} hash keys of an existing boundary is taken to be it, so that
   * integer rounding of the two layouts never makes a sliver.
   */
  public static void uniform(Change change, int target) {
    List<Shard> open = openByHashKey(change.result());
    List<BigInteger> existing = new ArrayList<>();
    for (Shard s : open) existing.add(s.startingHashKey());
    List<BigInteger> bounds = new ArrayList<>();
    BigInteger tolerance = BigInteger.valueOf(target);
    for (int k = 1; k < target; k++) {
      BigInteger b = HashKeys.start(k, target);
      for (BigInteger e : existing) if (e.subtract(b).abs().compareTo(tolerance) <= 0) b = e;
      bounds.add(b);
    }
    List<Shard> pieces = new ArrayList<>();
    for (Shard s : open) {
      Shard rest = s;
      for (BigInteger b : bounds) {
        if (b.compareTo(rest.startingHashKey()) > 0 && b.compareTo(rest.endingHashKey()) <= 0) {
          List<Shard> two = change.split(rest, b);
          pieces.add(two.get(0));
          rest = two.get(1);
        }
      }
      pieces.add(rest);
    }
    int p = 0;
    for (int k = 0; k < target; k++) {
      BigInteger end = k == target - 1 ? HashKeys.MAX : bounds.get(k).subtract(BigInteger.ONE);
      Shard merged = pieces.get(p++);
      while (merged.endingHashKey().compareTo(end) < 0) merged = change.merge(merged, pieces.get(p++));
    }
  }
}
