package io.eventplane.kinesis.domain;

import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.store.ConsumerStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The enhanced fan-out consumers of one lane's partitions, in memory beside {@link Streams}, and
 * their shards' current subscriptions. Confined to the lane's context; loaded when the lane takes
 * a partition (from {@link ConsumerStore}), dropped when it lets it go. Consumers are durable and
 * replicated with the partition; a subscription is a connection's lease and lives only as long as
 * the lane holds the partition (a new owner lets the next SubscribeToShard in at once).
 */
public final class Consumers {
  private final ConsumerStore store;
  /** By partition, by stream incarnation, by name (sorted: ListStreamConsumers pages by name). */
  private final Map<Integer, Map<Long, TreeMap<String, Consumer>>> byPartition = new HashMap<>();
  /** By partition, by consumer ARN and shard: the current subscription's start (service clock millis). */
  private final Map<Integer, Map<String, Long>> subscriptions = new HashMap<>();

  public Consumers(ConsumerStore store) {
    this.store = store;
  }

  public ConsumerStore store() {
    return store;
  }

  /** Takes the partition's consumers as loaded (those of streams no longer there are left out). */
  public void loaded(int partition, List<Consumer> consumers, Streams streams) {
    Map<Long, TreeMap<String, Consumer>> byStream = new HashMap<>();
    for (Consumer c : consumers) {
      Streams.Live live = streams.get(c.stream());
      if (live == null || live.stream().id() != c.streamId()) continue;
      byStream.computeIfAbsent(c.streamId(), id -> new TreeMap<>()).put(c.name(), c);
    }
    byPartition.put(partition, byStream);
    subscriptions.put(partition, new HashMap<>());
  }

  public void unload(int partition) {
    byPartition.remove(partition);
    subscriptions.remove(partition);
  }

  public void clear() {
    byPartition.clear();
    subscriptions.clear();
  }

  /** The consumers of a stream's incarnation, by name. */
  public List<Consumer> of(Stream s) {
    TreeMap<String, Consumer> named = named(s, false);
    return named == null ? List.of() : new ArrayList<>(named.values());
  }

  public Consumer get(Stream s, String name) {
    TreeMap<String, Consumer> named = named(s, false);
    return named == null ? null : named.get(name);
  }

  /** Adds a consumer (at once, so later calls on this lane see it) and writes it into {@code b}. */
  public void add(Batch b, Consumer c, Stream s) {
    named(s, true).put(c.name(), c);
    store.put(b, c);
  }

  /** Removes a consumer and its subscriptions, writing the removal into {@code b}. */
  public void remove(Batch b, Consumer c, Stream s) {
    TreeMap<String, Consumer> named = named(s, false);
    if (named != null) named.remove(c.name());
    Map<String, Long> subs = subscriptions.get(s.ref().partition());
    if (subs != null) subs.keySet().removeIf(k -> k.startsWith(c.arn() + '|'));
    store.delete(b, c);
  }

  /** Removes every consumer of a stream's incarnation, writing the range deletion into {@code b}. */
  public void removeAll(Batch b, Stream s) {
    for (Consumer c : of(s)) remove(b, c, s);
    store.deleteAll(b, s.ref().partition(), s.id());
  }

  /** When the current subscription of a consumer's shard started, or null when it has none. */
  public Long subscribed(Consumer c, int shard) {
    Map<String, Long> subs = subscriptions.get(c.stream().partition());
    return subs == null ? null : subs.get(c.arn() + '|' + shard);
  }

  /** Makes a subscription started at {@code millis} the shard's current one for the consumer. */
  public void subscribe(Consumer c, int shard, long millis) {
    subscriptions.computeIfAbsent(c.stream().partition(), p -> new HashMap<>()).put(c.arn() + '|' + shard, millis);
  }

  private TreeMap<String, Consumer> named(Stream s, boolean create) {
    Map<Long, TreeMap<String, Consumer>> byStream = byPartition.get(s.ref().partition());
    if (byStream == null) {
      if (!create) return null;
      byStream = byPartition.computeIfAbsent(s.ref().partition(), p -> new HashMap<>());
    }
    return create ? byStream.computeIfAbsent(s.id(), id -> new TreeMap<>()) : byStream.get(s.id());
  }
}
