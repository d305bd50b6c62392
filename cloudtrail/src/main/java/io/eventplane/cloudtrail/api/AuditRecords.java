package io.eventplane.cloudtrail.api;

import io.eventplane.cloudtrail.delivery.BusEvents;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a lane's partitions: the gateway's {@code eventplane:PutRecords} (one batch per
 * call: the records, the outbox events of the write management calls among them, the partition's
 * sequence) and LookupEvents. Used only on the lane's context; store reads run on workers.
 */
public final class AuditRecords {
  public static final String PUT_RECORDS = "eventplane:PutRecords";
  static final String DETAIL_TYPE = "AWS API Call via CloudTrail";

  private final Vertx vertx;
  private final Context context;
  private final AuditStore store;
  private final BusEvents busEvents;
  private final Clock clock;
  private final Map<Integer, Long> sequences = new HashMap<>();
  private Trails trails;

  /** The trails whose selectors decide which data events are kept. */
  public void trails(Trails trails) {
    this.trails = trails;
  }

  /** The partition's last sequence: a trail that starts logging delivers what comes after it. */
  public long sequence(int partition) {
    return sequences.getOrDefault(partition, 0L);
  }

  public AuditRecords(Vertx vertx, Context context, AuditStore store, BusEvents busEvents, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.busEvents = busEvents;
    this.clock = clock;
  }

  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> store.load(partition), false).map(snapshot -> {
      sequences.put(partition, snapshot.lastSequence());
      busEvents.add(partition, snapshot.outbox());
      return null;
    });
  }

  public void unload(int partition) {
    sequences.remove(partition);
    busEvents.unload(partition);
  }

  public void clear() {
    // Sequences go on rising (see Topics.clear): work still in flight must not find a new record under its number.
    busEvents.clear();
  }

  /** Writes the records of one account and region in one batch; answers once it is durable (and replicated). */
  public Future<JsonObject> putRecords(ApiRequest request) {
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = AuditPartitions.of(account, region);
    JsonArray records = request.input().getJsonArray("Records", new JsonArray());
    long seq = sequences.getOrDefault(partition, 0L);
    Map<Long, JsonObject> events = new LinkedHashMap<>();
    List<JsonObject> logging = trails == null ? List.of() : trails.logging(account, region);
    List<JsonObject> kept = new ArrayList<>();
    for (Object o : records) {
      if (!(o instanceof JsonObject stored)) continue;
      // A data event is kept only where a logging trail selects it.
      if (stored.getBoolean("data", false)
          && logging.stream().noneMatch(t -> Selectors.selects(t, stored.getJsonObject("record")))) continue;
      kept.add(stored);
    }
    if (kept.isEmpty()) return Future.succeededFuture(new JsonObject().put("Stored", 0));
    Batch b = store.batch();
    for (JsonObject stored : kept) {
      JsonObject record = stored.getJsonObject("record");
      long time = stored.getLong("time", clock.millis());
      stored.put("seq", ++seq);
      store.putRecord(b, partition, account, region, time, seq, stored);
      if (!record.getBoolean("readOnly", true) && record.getBoolean("managementEvent", false)) {
        String source = record.getString("eventSource");
        JsonObject entry = new JsonObject().put("Id", Ids.uuid())
            .put("Source", "aws." + source.substring(0, source.indexOf('.')))
            .put("DetailType", DETAIL_TYPE)
            .put("Detail", record.encode())
            .put("Resources", new JsonArray())
            .put("TimeMillis", time);
        JsonObject event = new JsonObject().put("Account", account).put("Region", region).put("Entry", entry);
        store.putOutbox(b, partition, ++seq, event);
        events.put(seq, event);
      }
    }
    store.putSequence(b, partition, seq);
    sequences.put(partition, seq);
    return store.commit(partition, b, context).map(v -> {
      busEvents.add(partition, events);
      return new JsonObject().put("Stored", kept.size());
    });
  }

  /** LookupEvents: management events of the caller's account and region, newest first. */
  public Future<JsonObject> lookupEvents(ApiRequest request) {
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = AuditPartitions.of(account, region);
    LookupQuery query = LookupQuery.of(request.input(), clock.millis());
    if (query.insight()) return Future.succeededFuture(new JsonObject().put("Events", new JsonArray()));
    return vertx.executeBlocking(() -> {
      byte[] from = AuditStore.recordsFrom(partition, account, region, query.to());
      if (query.after() != null && java.util.Arrays.compareUnsigned(query.after(), from) >= 0) {
        from = io.eventplane.common.store.Keys.prefixEnd(query.after());
      }
      byte[] to = AuditStore.recordsUntil(partition, account, region, query.from());
      List<JsonObject> found = new ArrayList<>();
      byte[][] lastKey = new byte[1][];
      boolean[] more = new boolean[1];
      store.scanRecords(from, to, (k, stored) -> {
        if (stored.getBoolean("data", false) || !query.matches(stored)) return true;
        if (found.size() == query.maxResults()) {
          more[0] = true;
          return false;
        }
        found.add(stored);
        lastKey[0] = k;
        return true;
      });
      JsonArray events = new JsonArray();
      for (JsonObject stored : found) events.add(event(stored));
      JsonObject out = new JsonObject().put("Events", events);
      if (more[0]) out.put("NextToken", query.token(lastKey[0]));
      return out;
    }, false);
  }

  /** A record as LookupEvents lists it. */
  private static JsonObject event(JsonObject stored) {
    JsonObject record = stored.getJsonObject("record");
    JsonObject e = new JsonObject()
        .put("EventId", record.getString("eventID"))
        .put("EventName", record.getString("eventName"))
        .put("ReadOnly", String.valueOf(record.getBoolean("readOnly")));
    if (stored.getString("accessKeyId") != null) e.put("AccessKeyId", stored.getString("accessKeyId"));
    e.put("EventTime", stored.getLong("time") / 1000.0)
        .put("EventSource", record.getString("eventSource"))
        .put("Username", stored.getString("username"))
        .put("Resources", stored.getJsonArray("resources", new JsonArray()))
        .put("CloudTrailEvent", record.encode());
    return e;
  }

  /**
   * Deletes the partition's records older than the 90 days LookupEvents shows (LookupEvents already
   * hides them; this frees the space). Blocking read on a worker, the deletion through the writer.
   */
  public Future<Void> sweep(int partition) {
    long cutoff = clock.millis() - LookupQuery.RETENTION.toMillis();
    return vertx.executeBlocking(() -> {
      Batch b = store.batch();
      return store.deleteOlderThan(b, partition, cutoff) == 0 ? null : b;
    }, false).compose(b -> b == null ? Future.succeededFuture() : store.commit(partition, b, context));
  }
}
