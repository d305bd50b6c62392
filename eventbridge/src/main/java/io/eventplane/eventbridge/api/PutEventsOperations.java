package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.delivery.Deliveries;
import io.eventplane.eventbridge.delivery.RuleMetrics;
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Envelope;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PutEvents in two halves. The lane that receives the call checks it (request limits as request
 * errors; each entry's problems as that entry's ErrorCode/ErrorMessage), builds each accepted
 * entry's envelope, and sends the entries of each bus to the bus's owner in one
 * {@value EventsApi#PUT_BUS_EVENTS}; the answers are merged back in entry order. The owner matches
 * each envelope against the bus's machine and writes, in one batch, every matched event and one
 * pending delivery per (rule, target); it answers once that batch is durable (and replicated), and
 * only then do the deliveries start. An event that matches nothing stores nothing. In that batch,
 * too, each of the bus's archives whose pattern the event matches keeps it (ArchiveOperations).
 */
final class PutEventsOperations {
  /** AWS's limit on the entries of one PutEvents, counted its way ({@link #size}). */
  static final int MAX_REQUEST_BYTES = 256 * 1024;
  private static final int MAX_ENTRIES = 10;

  private final Buses buses;
  private final Archives archives;
  private final Deliveries deliveries;
  private final Clock clock;

  PutEventsOperations(Buses buses, Archives archives, Deliveries deliveries, Clock clock) {
    this.buses = buses;
    this.archives = archives;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** The receiving half: {@code route} runs a request at its partition's owner (here, another lane or node). */
  Future<JsonObject> receive(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    JsonObject in = request.input();
    Validation v = new Validation();
    JsonArray entries = v.array(in, "Entries", "entries");
    v.required(entries, "entries");
    v.check();
    if (entries.isEmpty()) {
      throw EventsErrors.validation("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: "
          + "Member must have length greater than or equal to 1");
    }
    if (entries.size() > MAX_ENTRIES) {
      throw EventsErrors.validation("1 validation error detected: Value '" + describe(entries, request) + "' at 'entries' "
          + "failed to satisfy constraint: Member must have length less than or equal to 10");
    }
    long size = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject e)) {
        throw EventsErrors.validation("1 validation error detected: Value at 'entries." + (i + 1)
            + ".member' failed to satisfy constraint: Member must be a structure");
      }
      String path = "entries." + (i + 1) + ".member";
      v.string(e, "Source", path + ".source");
      v.string(e, "DetailType", path + ".detailType");
      v.string(e, "Detail", path + ".detail");
      v.string(e, "TraceHeader", path + ".traceHeader");
      v.busNameOrArn(v.string(e, "EventBusName", path + ".eventBusName"), path + ".eventBusName");
      JsonArray resources = v.array(e, "Resources", path + ".resources");
      if (resources != null) {
        for (int r = 0; r < resources.size(); r++) {
          if (!(resources.getValue(r) instanceof String)) {
            throw EventsErrors.validation("1 validation error detected: Value at '" + path + ".resources." + (r + 1)
                + ".member' failed to satisfy constraint: Member must be a string");
          }
        }
      }
      if (e.getValue("Time") != null && !(e.getValue("Time") instanceof Number)) {
        throw EventsErrors.validation("1 validation error detected: Value '" + e.getValue("Time") + "' at '" + path
            + ".time' failed to satisfy constraint: Member must be a timestamp");
      }
      size += size(e);
    }
    v.check();
    if (size > MAX_REQUEST_BYTES) throw EventsErrors.validation("Total size of the entries in the request is over the limit.");

    JsonObject[] results = new JsonObject[entries.size()];
    Map<BusRef, List<Integer>> byBus = new LinkedHashMap<>();
    Map<BusRef, JsonArray> events = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      JsonObject refused = refusal(e);
      if (refused != null) {
        results[i] = refused;
        continue;
      }
      BusRef bus = BusRef.of(e.getString("EventBusName"), request.context().accountId(), request.context().region());
      String id = Ids.uuid();
      Instant time = e.getValue("Time") instanceof Number n ? instant(n) : clock.instant();
      String envelope = Envelope.of(id, e.getString("DetailType"), e.getString("Source"), request.context().accountId(),
          time, bus.region(), e.getJsonArray("Resources"), new JsonObject(e.getString("Detail")));
      results[i] = new JsonObject().put("EventId", id);
      byBus.computeIfAbsent(bus, b -> new ArrayList<>()).add(i);
      events.computeIfAbsent(bus, b -> new JsonArray()).add(new JsonObject().put("Id", id).put("Envelope", envelope));
    }
    List<Future<JsonObject>> sent = new ArrayList<>();
    List<BusRef> order = new ArrayList<>(byBus.keySet());
    for (BusRef bus : order) {
      JsonObject put = new JsonObject().put("Account", bus.account()).put("Region", bus.region()).put("Bus", bus.name())
          .put("Events", events.get(bus));
      sent.add(route.apply(new ApiRequest(EventsApi.PUT_BUS_EVENTS, put, request.context())));
    }
    return Future.join(sent).transform(done -> {
      for (int g = 0; g < order.size(); g++) {
        if (sent.get(g).failed()) {
          // Not stored: the caller learns it per entry, as PutEvents reports a failure it may retry.
          for (int i : byBus.get(order.get(g))) {
            results[i] = new JsonObject().put("ErrorCode", "InternalFailure").put("ErrorMessage", "Internal Service Failure");
          }
        }
      }
      int failed = 0;
      JsonArray out = new JsonArray();
      for (JsonObject r : results) {
        if (r.containsKey("ErrorCode")) failed++;
        out.add(r);
      }
      return Future.succeededFuture(new JsonObject().put("FailedEntryCount", failed).put("Entries", out));
    });
  }

  /**
   * The receiving half of {@value EventsApi#PUT_SERVICE_EVENTS}: the entries a service built (S3's
   * events, with their {@code aws.*} source, which customers' PutEvents may not use on AWS) go to the
   * default bus of the request's account and region, each with the id and time the service gave it,
   * so an event its outbox sends again after a crash keeps both. A Detail that is not a JSON object
   * fails its entry (MalformedDetail, not retried); an owner that could not store them fails every
   * entry with InternalFailure, which the service retries.
   */
  Future<JsonObject> receiveService(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    String account = request.context().accountId();
    String region = request.context().region();
    BusRef bus = new BusRef(account, region, BusRef.DEFAULT);
    JsonArray entries = request.input().getJsonArray("Entries", new JsonArray());
    JsonObject[] results = new JsonObject[entries.size()];
    JsonArray events = new JsonArray();
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      JsonObject detail;
      try {
        detail = new JsonObject(e.getString("Detail"));
      } catch (DecodeException | ClassCastException | NullPointerException ex) {
        results[i] = failure("MalformedDetail", "Detail is malformed.");
        continue;
      }
      String id = e.getString("Id", Ids.uuid());
      Instant time = e.getValue("TimeMillis") instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : clock.instant();
      String envelope = Envelope.of(id, e.getString("DetailType"), e.getString("Source"), account, time, region,
          e.getJsonArray("Resources"), detail);
      results[i] = new JsonObject().put("EventId", id);
      events.add(new JsonObject().put("Id", id).put("Envelope", envelope));
      sent.add(i);
    }
    Future<JsonObject> stored = events.isEmpty() ? Future.succeededFuture(new JsonObject())
        : route.apply(new ApiRequest(EventsApi.PUT_BUS_EVENTS, new JsonObject().put("Account", account).put("Region", region)
            .put("Bus", bus.name()).put("Events", events), request.context()));
    return stored.transform(done -> {
      if (done.failed()) for (int i : sent) results[i] = failure("InternalFailure", "Internal Service Failure");
      int failed = 0;
      JsonArray out = new JsonArray();
      for (JsonObject r : results) {
        if (r.containsKey("ErrorCode")) failed++;
        out.add(r);
      }
      return Future.succeededFuture(new JsonObject().put("FailedEntryCount", failed).put("Entries", out));
    });
  }

  /** The owning half: match, store event and pending deliveries in one batch, answer once durable. */
  Future<JsonObject> putOnBus(ApiRequest request) {
    JsonObject in = request.input();
    BusRef bus = new BusRef(in.getString("Account"), in.getString("Region"), in.getString("Bus"));
    int partition = bus.partition();
    long now = clock.millis();
    Batch b = null;
    List<StoredEvent> stored = new ArrayList<>();
    List<List<EventStore.PendingDelivery>> pending = new ArrayList<>();
    List<Rule> matches = new ArrayList<>();
    // A bus that does not exist takes the events and routes them nowhere, as EventBridge does.
    for (Object o : in.getJsonArray("Events")) {
      JsonObject e = (JsonObject) o;
      String envelope = e.getString("Envelope");
      List<Rule> matched = buses.matching(bus, envelope);
      matches.addAll(matched);
      List<EventStore.PendingDelivery> ds = new ArrayList<>();
      long seq = -1;
      for (Rule rule : matched) {
        for (Target t : rule.targets().values()) {
          if (seq < 0) seq = buses.nextSequence(partition);
          ds.add(new EventStore.PendingDelivery(seq, rule.arn(), t.id(), 0, 0));
        }
      }
      List<Archive> keeping = archives.archiving(bus, envelope);
      if (!keeping.isEmpty()) {
        if (seq < 0) seq = buses.nextSequence(partition);
        if (b == null) b = buses.store().batch();
        archive(b, keeping, envelope, seq);
        buses.store().putSequence(b, partition, seq);
      }
      if (ds.isEmpty()) continue;
      if (b == null) b = buses.store().batch();
      StoredEvent event = new StoredEvent(seq, bus, e.getString("Id"), envelope, now);
      buses.store().putEvent(b, partition, event);
      for (EventStore.PendingDelivery d : ds) buses.store().putDelivery(b, partition, seq, d.ruleArn(), d.targetId(), 0, 0);
      buses.store().putSequence(b, partition, seq);
      stored.add(event);
      pending.add(ds);
    }
    RuleMetrics metrics = deliveries.metrics();
    if (b == null) {
      for (Rule rule : matches) metrics.matched(rule);
      return Future.succeededFuture(new JsonObject());
    }
    return buses.commit(partition, b).map(x -> {
      for (Rule rule : matches) metrics.matched(rule);
      for (int i = 0; i < stored.size(); i++) deliveries.add(partition, stored.get(i), pending.get(i));
      return new JsonObject();
    });
  }

  /**
   * Archives the event in the batch that stores it: under its event time (the envelope's) and
   * sequence, with each archive's counters updated in the same batch.
   */
  private void archive(Batch b, List<Archive> keeping, String envelope, long seq) {
    long time = eventTime(envelope);
    long bytes = envelope.getBytes(StandardCharsets.UTF_8).length;
    for (Archive a : keeping) {
      Archive counted = a.counting(bytes);
      buses.store().putArchived(b, a, time, seq, envelope);
      buses.store().putArchive(b, counted);
      archives.put(counted);
    }
  }

  /** The envelope's time in epoch millis (whole seconds, as the envelope carries it). */
  static long eventTime(String envelope) {
    return Instant.parse(new JsonObject(envelope).getString("time")).toEpochMilli();
  }

  /** An entry's own problem as PutEvents reports it in the entry's result, or null when it is fine. */
  private static JsonObject refusal(JsonObject e) {
    if (e.getString("Source") == null) return failure("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
    if (e.getString("DetailType") == null) {
      return failure("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
    }
    if (e.getString("Detail") == null) return failure("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
    try {
      new JsonObject(e.getString("Detail"));
    } catch (DecodeException | ClassCastException ex) {
      return failure("MalformedDetail", "Detail is malformed.");
    }
    return null;
  }

  private static JsonObject failure(String code, String message) {
    return new JsonObject().put("ErrorCode", code).put("ErrorMessage", message);
  }

  /**
   * An entry's size as EventBridge counts it toward the 256 KB limit: 14 bytes for a Time, plus the
   * UTF-8 bytes of Source, DetailType, Detail and each Resource.
   */
  static long size(JsonObject e) {
    long n = e.getValue("Time") != null ? 14 : 0;
    n += utf8(e.getValue("Source")) + utf8(e.getValue("DetailType")) + utf8(e.getValue("Detail"));
    if (e.getValue("Resources") instanceof JsonArray resources) for (Object r : resources) n += utf8(r);
    return n;
  }

  private static long utf8(Object s) {
    return s instanceof String str ? str.getBytes(StandardCharsets.UTF_8).length : 0;
  }

  private static Instant instant(Number epochSeconds) {
    return Instant.ofEpochMilli(new BigDecimal(epochSeconds.toString()).movePointRight(3).longValue());
  }

  /** The entries as AWS's front end prints them in a length violation (its Java model's toString). */
  private static String describe(JsonArray entries, ApiRequest request) {
    List<String> out = new ArrayList<>();
    for (Object o : entries) {
      JsonObject e = o instanceof JsonObject j ? j : new JsonObject();
      out.add("PutEventsRequestEntry(time=" + e.getValue("Time")
          + ", source=" + e.getValue("Source") + ", resources=" + (e.getValue("Resources") instanceof JsonArray r ? r.getList() : null)
          + ", detailType=" + e.getValue("DetailType") + ", detail=" + e.getValue("Detail")
          + ", eventBusName=" + e.getValue("EventBusName") + ", traceHeader=" + e.getValue("TraceHeader")
          + ", kmsKeyIdentifier=null, internalMetadata=null)");
    }
    return out.toString();
  }
}
