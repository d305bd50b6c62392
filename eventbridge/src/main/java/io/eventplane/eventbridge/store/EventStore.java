package io.eventplane.eventbridge.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.eventbridge.domain.ApiDestination;
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.Connection;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.Replay;
import io.eventplane.eventbridge.domain.Reservation;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where EventBridge keeps its state (column family {@value #COLUMN_FAMILY}), every key starting with
 * the bus's partition:
 *
 * <pre>
 *   P B account \0 region \0 bus                -> event bus (JSON)
 *   P R account \0 region \0 bus \0 rule        -> rule with its targets (JSON)
 *   P E seq                                     -> accepted event waiting for deliveries (JSON)
 *   P D seq \0 ruleArn \0 targetId              -> pending delivery: failed attempts, next attempt (JSON)
 *   P c                                         -> the partition's last event sequence (8 bytes)
 *   P A account \0 region \0 archive            -> archive with its counters (JSON)
 *   P V account \0 region \0 archive \0 time seq -> archived event: the envelope (UTF-8), by event time then sequence
 *   P Y account \0 region \0 replay             -> replay with its progress (JSON)
 *   P S account \0 region \0 bus \0 rule        -> an enabled scheduled rule's start and last fired tick (JSON)
 *   P G account \0 region \0 kind \0 name       -> a name reserved in the account registry (JSON; registry partition only)
 *   P H account \0 region \0 connection         -> connection with its secrets (JSON), in {@code Connection.partition}
 *   P I account \0 region \0 api-destination    -> API destination (JSON), in the same partition
 * </pre>
 *
 * The outbox is the {@code E} and {@code D} keys: PutEvents writes the event and one pending
 * delivery per matched (rule, target) in one batch; a delivery's end deletes its key, the last one
 * the event's. Rules are keys of their own (not members of the bus record) so that putting one
 * rule on a bus with thousands writes one rule. A scheduled rule's {@code S} key is written with each
 * firing, in the batch that puts the firing's event and deliveries, so a tick is either fired and
 * recorded or neither.
 */
public final class EventStore {
  public static final String COLUMN_FAMILY = "events";
  private static final byte BUS = 'B';
  private static final byte RULE = 'R';
  private static final byte EVENT = 'E';
  private static final byte DELIVERY = 'D';
  private static final byte SEQUENCE = 'c';
  private static final byte ARCHIVE = 'A';
  private static final byte ARCHIVED = 'V';
  private static final byte REPLAY = 'Y';
  private static final byte SCHEDULE = 'S';
  private static final byte RESERVATION = 'G';
  private static final byte CONNECTION = 'H';
  private static final byte API_DESTINATION = 'I';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public EventStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (replicated when clustered). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putBus(Batch b, EventBus bus) {
    b.put(cf, busKey(bus.ref()), bus.toJson().toBuffer().getBytes());
  }

  public void deleteBus(Batch b, BusRef bus) {
    b.delete(cf, busKey(bus));
  }

  public void putRule(Batch b, Rule rule) {
    b.put(cf, ruleKey(rule.bus(), rule.name()), rule.toJson().toBuffer().getBytes());
  }

  public void deleteRule(Batch b, BusRef bus, String rule) {
    b.delete(cf, ruleKey(bus, rule));
  }

  public void putEvent(Batch b, int partition, StoredEvent e) {
    b.put(cf, eventKey(partition, e.seq()), e.toJson().toBuffer().getBytes());
  }

  public void deleteEvent(Batch b, int partition, long seq) {
    b.delete(cf, eventKey(partition, seq));
  }

  public void putDelivery(Batch b, int partition, long seq, String ruleArn, String targetId, int attempts, long nextAttemptAt) {
    b.put(cf, deliveryKey(partition, seq, ruleArn, targetId),
        new JsonObject().put("attempts", attempts).put("nextAttemptAt", nextAttemptAt).toBuffer().getBytes());
  }

  public void deleteDelivery(Batch b, int partition, long seq, String ruleArn, String targetId) {
    b.delete(cf, deliveryKey(partition, seq, ruleArn, targetId));
  }

  public void putSequence(Batch b, int partition, long seq) {
    b.put(cf, kind(partition, SEQUENCE), ByteBuffer.allocate(8).putLong(seq).array());
  }

  /** A scheduled rule's progress: {@code start} (put or enabled, millis), {@code lastFired} (the last tick fired, or null). */
  public void putSchedule(Batch b, BusRef bus, String rule, long start, Long lastFired) {
    JsonObject j = new JsonObject().put("start", start);
    if (lastFired != null) j.put("lastFired", lastFired);
    b.put(cf, scheduleKey(bus, rule), j.toBuffer().getBytes());
  }

  public void deleteSchedule(Batch b, BusRef bus, String rule) {
    b.delete(cf, scheduleKey(bus, rule));
  }

  /** A scheduled rule's stored progress. */
  public record ScheduleState(BusRef bus, String rule, long start, Long lastFired) {}

  /** Blocking: call on a worker. The scheduled rules' progress in the partition. */
  public List<ScheduleState> loadSchedules(int partition) {
    List<ScheduleState> out = new ArrayList<>();
    store.scan(cf, kind(partition, SCHEDULE), (k, v) -> {
      String[] parts = new String(k, 3, k.length - 3, StandardCharsets.UTF_8).split("\0", 4);
      JsonObject j = new JsonObject(Buffer.buffer(v));
      if (parts.length == 4) {
        out.add(new ScheduleState(new BusRef(parts[0], parts[1], parts[2]), parts[3], j.getLong("start"), j.getLong("lastFired")));
      }
      return true;
    });
    return out;
  }

  public void putReservation(Batch b, int partition, Reservation r) {
    b.put(cf, reservationKey(partition, r.account(), r.region(), r.kind(), r.name()), r.toJson().toBuffer().getBytes());
  }

  public void deleteReservation(Batch b, int partition, Reservation r) {
    b.delete(cf, reservationKey(partition, r.account(), r.region(), r.kind(), r.name()));
  }

  /** Blocking: call on a worker. The reservations of the account registries kept in the partition. */
  public List<Reservation> loadReservations(int partition) {
    List<Reservation> out = new ArrayList<>();
    store.scan(cf, kind(partition, RESERVATION), (k, v) -> {
      out.add(Reservation.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  /** A pending delivery as stored. */
  public record PendingDelivery(long seq, String ruleArn, String targetId, int attempts, long nextAttemptAt) {}

  /** Everything of one partition, read when this node takes it. */
  public record Snapshot(List<EventBus> buses, List<Rule> rules, Map<Long, StoredEvent> events,
      List<PendingDelivery> deliveries, long lastSequence) {}

  /** Blocking: call on a worker. */
  public Snapshot load(int partition) {
    List<EventBus> buses = new ArrayList<>();
    store.scan(cf, kind(partition, BUS), (k, v) -> {
      buses.add(EventBus.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    List<Rule> rules = new ArrayList<>();
    store.scan(cf, kind(partition, RULE), (k, v) -> {
      rules.add(Rule.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    Map<Long, StoredEvent> events = new LinkedHashMap<>();
    store.scan(cf, kind(partition, EVENT), (k, v) -> {
      StoredEvent e = StoredEvent.fromJson(new JsonObject(Buffer.buffer(v)));
      events.put(e.seq(), e);
      return true;
    });
    List<PendingDelivery> deliveries = new ArrayList<>();
    store.scan(cf, kind(partition, DELIVERY), (k, v) -> {
      long seq = Keys.readLong(k, 3);
      String[] parts = new String(k, 12, k.length - 12, StandardCharsets.UTF_8).split("\0", 2);
      JsonObject j = new JsonObject(Buffer.buffer(v));
      if (parts.length == 2) {
        deliveries.add(new PendingDelivery(seq, parts[0], parts[1], j.getInteger("attempts", 0), j.getLong("nextAttemptAt", 0L)));
      }
      return true;
    });
    byte[] last = store.get(cf, kind(partition, SEQUENCE));
    long lastSequence = last == null ? 0 : ByteBuffer.wrap(last).getLong();
    for (long seq : events.keySet()) lastSequence = Math.max(lastSequence, seq);
    return new Snapshot(buses, rules, events, deliveries, lastSequence);
  }

  public void putArchive(Batch b, Archive a) {
    b.put(cf, archiveKey(a), a.toJson().toBuffer().getBytes());
  }

  /** Deletes the archive and every event it holds. */
  public void deleteArchive(Batch b, Archive a) {
    b.delete(cf, archiveKey(a));
    byte[] prefix = archivedPrefix(a);
    b.deleteRange(cf, prefix, Keys.prefixEnd(prefix));
  }

  /** Archives an event under its time (epoch millis) and the partition's sequence. */
  public void putArchived(Batch b, Archive a, long time, long seq, String envelope) {
    b.put(cf, archivedKey(a, time, seq), envelope.getBytes(StandardCharsets.UTF_8));
  }

  public void deleteArchived(Batch b, byte[] key) {
    b.delete(cf, key);
  }

  public void putReplay(Batch b, Replay r) {
    b.put(cf, replayKey(r), r.toJson().toBuffer().getBytes());
  }

  /** An archived event as read back: its key (for progress), event time and envelope. */
  public record ArchivedEvent(byte[] key, long time, String envelope) {}

  /** A partition's archives and replays, read when this node takes it. */
  public record ArchiveSnapshot(List<Archive> archives, List<Replay> replays) {}

  /** Blocking: call on a worker. */
  public ArchiveSnapshot loadArchives(int partition) {
    List<Archive> archives = new ArrayList<>();
    store.scan(cf, kind(partition, ARCHIVE), (k, v) -> {
      archives.add(Archive.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    List<Replay> replays = new ArrayList<>();
    store.scan(cf, kind(partition, REPLAY), (k, v) -> {
      replays.add(Replay.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return new ArchiveSnapshot(archives, replays);
  }

  /**
   * Up to {@code limit} archived events with time in [{@code from}, {@code to}), in time then
   * sequence order, after the key {@code after} (null: from the start). Blocking: call on a worker.
   */
  public List<ArchivedEvent> readArchived(Archive a, long from, long to, byte[] after, int limit) {
    List<ArchivedEvent> out = new ArrayList<>();
    byte[] start = archivedKey(a, Math.max(0, from), 0);
    if (after != null && java.util.Arrays.compareUnsigned(after, start) >= 0) start = Keys.prefixEnd(after);
    byte[] end = archivedKey(a, Math.max(0, to), 0);
    if (java.util.Arrays.compareUnsigned(start, end) >= 0) return out;
    int offset = archivedPrefix(a).length;
    store.scanRange(cf, start, end, (k, v) -> {
      out.add(new ArchivedEvent(k, Keys.readLong(k, offset), new String(v, StandardCharsets.UTF_8)));
      return out.size() < limit;
    });
    return out;
  }

  public void putConnection(Batch b, Connection c) {
    b.put(cf, httpKey(c.partition(), CONNECTION, c.account(), c.region(), c.name()), c.toJson().toBuffer().getBytes());
  }

  public void deleteConnection(Batch b, Connection c) {
    b.delete(cf, httpKey(c.partition(), CONNECTION, c.account(), c.region(), c.name()));
  }

  public void putApiDestination(Batch b, ApiDestination d) {
    b.put(cf, httpKey(d.partition(), API_DESTINATION, d.account(), d.region(), d.name()), d.toJson().toBuffer().getBytes());
  }

  public void deleteApiDestination(Batch b, ApiDestination d) {
    b.delete(cf, httpKey(d.partition(), API_DESTINATION, d.account(), d.region(), d.name()));
  }

  /** A partition's connections and API destinations, read when this node takes it. */
  public record HttpSnapshot(List<Connection> connections, List<ApiDestination> destinations) {}

  /** Blocking: call on a worker. */
  public HttpSnapshot loadHttpEndpoints(int partition) {
    List<Connection> connections = new ArrayList<>();
    store.scan(cf, kind(partition, CONNECTION), (k, v) -> {
      connections.add(Connection.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    List<ApiDestination> destinations = new ArrayList<>();
    store.scan(cf, kind(partition, API_DESTINATION), (k, v) -> {
      destinations.add(ApiDestination.fromJson(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return new HttpSnapshot(connections, destinations);
  }

  private static byte[] httpKey(int partition, byte kind, String account, String region, String name) {
    return Keys.builder(64).bytes(Partitions.prefix(partition)).u8(kind).part(account).part(region).string(name).build();
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] busKey(BusRef bus) {
    return Keys.builder(64).bytes(Partitions.prefix(bus.partition())).u8(BUS).part(bus.account()).part(bus.region())
        .string(bus.name()).build();
  }

  private static byte[] ruleKey(BusRef bus, String rule) {
    return Keys.builder(96).bytes(Partitions.prefix(bus.partition())).u8(RULE).part(bus.account()).part(bus.region())
        .part(bus.name()).string(rule).build();
  }

  private static byte[] archiveKey(Archive a) {
    return Keys.builder(64).bytes(Partitions.prefix(a.bus().partition())).u8(ARCHIVE).part(a.account()).part(a.region())
        .string(a.name()).build();
  }

  private static byte[] archivedPrefix(Archive a) {
    return Keys.builder(64).bytes(Partitions.prefix(a.bus().partition())).u8(ARCHIVED).part(a.account()).part(a.region())
        .part(a.name()).build();
  }

  private static byte[] archivedKey(Archive a, long time, long seq) {
    return Keys.builder(80).bytes(archivedPrefix(a)).u64(Math.max(0, time)).u64(seq).build();
  }

  private static byte[] replayKey(Replay r) {
    return Keys.builder(64).bytes(Partitions.prefix(r.bus().partition())).u8(REPLAY).part(r.account()).part(r.region())
        .string(r.name()).build();
  }

  private static byte[] scheduleKey(BusRef bus, String rule) {
    return Keys.builder(96).bytes(Partitions.prefix(bus.partition())).u8(SCHEDULE).part(bus.account()).part(bus.region())
        .part(bus.name()).string(rule).build();
  }

  private static byte[] reservationKey(int partition, String account, String region, String kind, String name) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(RESERVATION).part(account).part(region).part(kind)
        .string(name).build();
  }

  private static byte[] eventKey(int partition, long seq) {
    return Keys.builder(11).bytes(Partitions.prefix(partition)).u8(EVENT).u64(seq).build();
  }

  private static byte[] deliveryKey(int partition, long seq, String ruleArn, String targetId) {
    return Keys.builder(16 + ruleArn.length() + targetId.length()).bytes(Partitions.prefix(partition)).u8(DELIVERY).u64(seq)
        .u8(0).part(ruleArn).string(targetId).build();
  }
}
