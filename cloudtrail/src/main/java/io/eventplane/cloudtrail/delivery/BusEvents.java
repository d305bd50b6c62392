package io.eventplane.cloudtrail.delivery;

import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outbox of "AWS API Call via CloudTrail" events of a lane's partitions: each waiting event
 * (key {@code P O seq}, written with its record) goes to the default bus of its account and region
 * through EventBridge's internal {@code eventplane:PutServiceEvents}, in order, a few at a time per
 * partition, and its key is deleted once the bus answered it with an EventId. An entry the bus could
 * not store (InternalFailure) or no answer is tried again after a growing pause (up to a minute),
 * for ever; any other entry error cannot improve and drops the event (logged). At least once: a
 * crash between the bus's answer and the deletion sends the event again, with the same id.
 * Used only on the lane's context.
 */
public final class BusEvents {
  private static final System.Logger LOG = System.getLogger(BusEvents.class.getName());
  private static final String PUT_SERVICE_EVENTS = "eventplane:PutServiceEvents";
  private static final int PER_CALL = 10;
  private static final long SEND_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final AuditStore store;
  private final Map<Integer, TreeMap<Long, JsonObject>> pending = new HashMap<>();
  private final Set<Integer> sending = new HashSet<>();
  private final Map<Integer, Integer> failures = new HashMap<>();

  public BusEvents(Vertx vertx, Context context, AuditStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
  }

  /** Events of a partition now durable (written, or found when the partition was taken): send them. */
  public void add(int partition, Map<Long, JsonObject> events) {
    if (events.isEmpty()) return;
    pending.computeIfAbsent(partition, p -> new TreeMap<>()).putAll(events);
    pump(partition);
  }

  /** The partition left this lane: its owner now sends what is left. */
  public void unload(int partition) {
    pending.remove(partition);
    failures.remove(partition);
  }

  public void clear() {
    pending.clear();
    failures.clear();
  }

  private void pump(int partition) {
    TreeMap<Long, JsonObject> waiting = pending.get(partition);
    if (waiting == null || waiting.isEmpty() || sending.contains(partition)) return;
    JsonObject first = waiting.firstEntry().getValue();
    String account = first.getString("Account");
    String region = first.getString("Region");
    List<Long> seqs = new ArrayList<>();
    JsonArray entries = new JsonArray();
    for (Map.Entry<Long, JsonObject> e : waiting.entrySet()) {
      if (seqs.size() == PER_CALL) break;
      if (!account.equals(e.getValue().getString("Account")) || !region.equals(e.getValue().getString("Region"))) continue;
      seqs.add(e.getKey());
      entries.add(e.getValue().getJsonObject("Entry"));
    }
    sending.add(partition);
    RequestContext ctx = new RequestContext(account, region, Ids.uuid(), "http://eventplane.internal");
    vertx.eventBus().<ApiReply>request(Contracts.EVENTS, new ApiRequest(PUT_SERVICE_EVENTS, new JsonObject().put("Entries", entries), ctx),
        new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)).onComplete(done -> context.runOnContext(v -> {
          sending.remove(partition);
          TreeMap<Long, JsonObject> still = pending.get(partition);
          if (still == null) return; // released meanwhile: the new owner sends them
          boolean retry = false;
          Batch b = store.batch();
          int deleted = 0;
          if (done.succeeded() && done.result().body().succeeded()) {
            JsonArray results = done.result().body().output().getJsonArray("Entries", new JsonArray());
            for (int i = 0; i < seqs.size(); i++) {
              JsonObject r = i < results.size() ? results.getJsonObject(i) : new JsonObject().put("ErrorCode", "InternalFailure");
              String code = r.getString("ErrorCode");
              if (code == null || !code.equals("InternalFailure")) {
                if (code != null) LOG.log(System.Logger.Level.WARNING, "the default bus refused an API-call event: {0} {1}", code,
                    r.getString("ErrorMessage"));
                still.remove(seqs.get(i));
                store.deleteOutbox(b, partition, seqs.get(i));
                deleted++;
              } else {
                retry = true;
              }
            }
          } else {
            retry = true;
          }
          Runnable next = () -> pump(partition);
          if (deleted > 0) store.commit(partition, b, context).onComplete(c -> {
            if (c.failed()) LOG.log(System.Logger.Level.WARNING, "could not delete sent API-call events: " + c.cause());
          });
          if (retry) {
            int n = failures.merge(partition, 1, Integer::sum);
            vertx.setTimer(Math.min(60_000, 500L << Math.min(n, 7)), t -> context.runOnContext(x -> next.run()));
          } else {
            failures.remove(partition);
            next.run();
          }
        }));
  }
}
