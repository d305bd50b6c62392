package io.eventplane.kinesis;

import io.eventplane.kinesis.domain.Consumer;
import io.eventplane.kinesis.domain.Consumers;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamMetrics;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One Kinesis lane's streams in the node's metrics, labelled by account, region and stream: counters
 * of the records and bytes written (CloudWatch's IncomingRecords, IncomingBytes), and per
 * registered consumer (label {@code consumer}) a gauge of how far behind the newest record its last
 * SubscribeToShard events were, the most over its shards (SubscribeToShardEvent.MillisBehindLatest).
 *
 * <p>Everything but the gauges' reads runs on the lane's context; {@link #refresh()} registers the
 * gauges of the consumers the lane has there and removes those of consumers gone (deregistered,
 * their stream deleted, or the partition moved away). Counters stay, so that a sum over the nodes
 * never goes down.
 */
final class KinesisMeters implements StreamMetrics {
  private final MeterRegistry registry;
  private final Streams streams;
  private final Consumers consumers;
  /** Lane-confined. */
  private final Map<StreamRef, PerStream> byStream = new HashMap<>();
  /** By consumer ARN; lane-confined. */
  private final Map<String, PerConsumer> byConsumer = new HashMap<>();

  KinesisMeters(MeterRegistry registry, Streams streams, Consumers consumers) {
    this.registry = registry;
    this.streams = streams;
    this.consumers = consumers;
  }

  @Override
  public void incoming(Stream s, int records, long bytes) {
    PerStream p = byStream.get(s.ref());
    if (p == null) {
      p = new PerStream(tags(s.ref()));
      byStream.put(s.ref(), p);
    }
    p.records.increment(records);
    p.bytes.increment(bytes);
  }

  @Override
  public void consumerBehind(Consumer c, int shard, long millis) {
    of(c).behindByShard.put(shard, millis);
  }

  /** On the lane's context: each consumer's lag into its gauge; the gauges of consumers gone removed. */
  void refresh() {
    Set<String> present = new HashSet<>();
    for (int partition : streams.partitions()) {
      for (Streams.Live live : streams.all(partition)) {
        for (Consumer c : consumers.of(live.stream())) {
          PerConsumer p = of(c);
          present.add(c.arn());
          long behind = 0;
          for (long millis : p.behindByShard.values()) behind = Math.max(behind, millis);
          p.behindSeconds = behind / 1000.0;
        }
      }
    }
    for (Iterator<Map.Entry<String, PerConsumer>> it = byConsumer.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, PerConsumer> e = it.next();
      if (!present.contains(e.getKey())) {
        registry.remove(e.getValue().gauge);
        it.remove();
      }
    }
  }

  private static Tags tags(StreamRef ref) {
    return Tags.of("account", ref.account(), "region", ref.region(), "stream", ref.name());
  }

  private PerConsumer of(Consumer c) {
    PerConsumer p = byConsumer.get(c.arn());
    if (p == null) {
      p = new PerConsumer(tags(c.stream()).and("consumer", c.name()));
      byConsumer.put(c.arn(), p);
    }
    return p;
  }

  private final class PerStream {
    final Counter records;
    final Counter bytes;

    PerStream(Tags tags) {
      records = Counter.builder("eventplane_kinesis_incoming_records").description("Records written to the stream (IncomingRecords)")
          .tags(tags).register(registry);
      bytes = Counter.builder("eventplane_kinesis_incoming_bytes")
          .description("Bytes written to the stream, data and partition keys (IncomingBytes)").baseUnit("bytes").tags(tags)
          .register(registry);
    }
  }

  private final class PerConsumer {
    /** The last event's lag per shard; lane-confined. */
    final Map<Integer, Long> behindByShard = new HashMap<>();
    volatile double behindSeconds;
    final Gauge gauge;

    PerConsumer(Tags tags) {
      gauge = Gauge.builder("eventplane_kinesis_consumer_iterator_age_seconds", this, p -> p.behindSeconds)
          .description("How far behind the newest record the consumer's last SubscribeToShard event was, the most over its shards")
          .tags(tags).strongReference(true).register(registry);
    }
  }
}
