package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.alarm.AlarmState;
import io.eventplane.cloudwatch.alarm.MetricAlarm;
import io.eventplane.cloudwatch.store.AlarmStore;
import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The metric alarms of one lane's partitions: in memory (loaded when a partition is acquired) and in
 * the store ({@link AlarmStore}). An alarm's partition is the hash of its (account, region, name), so
 * PutMetricAlarm and SetAlarmState run at its owner; the calls naming many alarms send each
 * partition's part to its owner ({@code eventplane:ChangeAlarms}). Every change is durable before
 * it is answered or acted on; a state change writes the alarm, its history item and its actions in
 * one batch ({@link #transition}) and then hands the actions to {@link AlarmActions}. Confined to the
 * lane's context.
 */
public final class Alarms {
  static final long HISTORY_KEPT_MILLIS = 14L * 24 * 3600 * 1000;
  private static final long HISTORY_SWEEP_MILLIS = 3600_000L;

  private final Vertx vertx;
  private final Context context;
  private final CloudWatchStore metrics;
  private final AlarmStore store;
  private final Clock clock;
  private final AlarmActions actions;
  /** By partition, by {@link #id}. */
  private final Map<Integer, Map<Long, Slot>> alarms = new HashMap<>();
  private long lastHistorySweep = Long.MIN_VALUE;
  /** The last write under way per alarm: writes of one alarm run one after another, each from the state the last left. */
  private final Map<Long, Future<?>> writing = new HashMap<>();

  /** An alarm as this lane holds it, and the end of the last period it was evaluated for. */
  static final class Slot {
    MetricAlarm alarm;
    long evaluatedUntil;

    Slot(MetricAlarm alarm, long evaluatedUntil) {
      this.alarm = alarm;
      this.evaluatedUntil = evaluatedUntil;
    }
  }

  public Alarms(Vertx vertx, Context context, CloudWatchStore metrics, AlarmStore store, Clock clock, AlarmActions actions) {
    this.vertx = vertx;
    this.context = context;
    this.metrics = metrics;
    this.store = store;
    this.clock = clock;
    this.actions = actions;
  }

  /** The partition of an alarm. Cheap and thread-safe. */
  public static int partition(String account, String region, String name) {
    return Partitions.of("cloudwatch", account, "alarm\0" + region + "\0" + name);
  }

  /** How the store names an alarm: the first 8 bytes of the SHA-256 of (account, region, name). */
  static long id(String account, String region, String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((account + "\0" + region + "\0" + name).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long id(MetricAlarm a) {
    return id(a.account(), a.region(), a.name());
  }

  /** Loads the partition's alarms, and runs the actions its outbox still holds (a crash or failover left them). */
  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> new Loaded(store.loadAlarms(partition), store.loadOutbox(partition))).map(loaded -> {
      Map<Long, Slot> byId = new HashMap<>();
      for (JsonObject j : loaded.alarms()) {
        MetricAlarm a = MetricAlarm.fromJson(j);
        byId.put(id(a), new Slot(a, AlarmEvaluations.lastPeriodEnd(a, clock.millis())));
      }
      alarms.put(partition, byId);
      for (AlarmStore.Entry e : loaded.outbox()) actions.run(partition, e);
      return null;
    });
  }

  private record Loaded(List<JsonObject> alarms, List<AlarmStore.Entry> outbox) {}

  public void unload(int partition) {
    alarms.remove(partition);
  }

  public void clear() {
    alarms.replaceAll((p, m) -> new HashMap<>());
  }

  Collection<Map.Entry<Integer, Map<Long, Slot>>> all() {
    return alarms.entrySet();
  }

  /** Whether the slot is still the one the lane holds for its alarm (not deleted or moved away meanwhile). */
  boolean holds(int partition, long id, Slot slot) {
    Map<Long, Slot> m = alarms.get(partition);
    return m != null && m.get(id) == slot;
  }

  private Map<Long, Slot> loaded(int partition) {
    Map<Long, Slot> m = alarms.get(partition);
    if (m == null) {
      throw new ServiceException(ServiceError.unavailable("The alarm's partition is not loaded on this node yet."));
    }
    return m;
  }

  /**
   * Runs {@code op} once every write under way of the alarms {@code ids} is done (whatever its outcome), so
   * that it reads and writes the alarm as the last write left it: an evaluation's state change and an
   * update of the definition never overwrite each other.
   */
  private <T> Future<T> serially(Collection<Long> ids, java.util.function.Supplier<Future<T>> op) {
    List<Future<?>> before = new ArrayList<>();
    for (long id : ids) {
      Future<?> f = writing.get(id);
      if (f != null) before.add(f);
    }
    Future<T> next = Future.join(before).transform(ignored -> {
      try {
        return op.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    for (long id : ids) writing.put(id, next);
    next.onComplete(ar -> {
      for (long id : ids) writing.remove(id, next);
    });
    return next;
  }

  /** PutMetricAlarm: creates the alarm (INSUFFICIENT_DATA) or replaces its definition, keeping its state. */
  public Future<JsonObject> put(JsonObject in, RequestContext ctx) {
    String name = AlarmInputs.name(in, "AlarmName");
    int partition = partition(ctx.accountId(), ctx.region(), name);
    loaded(partition);
    long id = id(ctx.accountId(), ctx.region(), name);
    AlarmInputs.alarm(in, ctx, clock.instant(), null);  // refuses bad input before waiting for other writes
    return serially(List.of(id), () -> putNow(in, ctx, partition, id));
  }

  private Future<JsonObject> putNow(JsonObject in, RequestContext ctx, int partition, long id) {
    Slot slot = loaded(partition).get(id);
    Instant now = clock.instant();
    MetricAlarm before = slot == null ? null : slot.alarm;
    MetricAlarm after = AlarmInputs.alarm(in, ctx, now, before);
    Batch b = metrics.batch();
    store.putAlarm(b, partition, id, after.toJson());
    store.putHistory(b, partition, id, now.toEpochMilli(),
        AlarmViews.configurationUpdate(before, after, now));
    return metrics.commit(partition, b, context).map(v -> {
      Map<Long, Slot> current = alarms.get(partition);
      if (current != null) {
        Slot s = current.get(id);
        if (s == null) current.put(id, new Slot(after, AlarmEvaluations.lastPeriodEnd(after, now.toEpochMilli())));
        else s.alarm = after;
      }
      return new JsonObject();
    });
  }

  /** SetAlarmState: the state until the next evaluation; a change runs the new state's actions. */
  public Future<JsonObject> setState(JsonObject in, RequestContext ctx) {
    String name = AlarmInputs.name(in, "AlarmName");
    String value = Inputs.optionalString(in, "StateValue", "StateValue");
    if (value == null) throw missing("StateValue");
    AlarmState state = AlarmState.named(value);
    if (state == null) throw invalid("The parameter StateValue must be a value in the set [OK, ALARM, INSUFFICIENT_DATA].");
    String reason = Inputs.optionalString(in, "StateReason", "StateReason");
    if (reason == null) throw missing("StateReason");
    Inputs.length(reason, "StateReason", 1023);
    String dataText = Inputs.optionalString(in, "StateReasonData", "StateReasonData");
    JsonObject reasonData = null;
    if (dataText != null) {
      Inputs.length(dataText, "StateReasonData", 4000);
      try {
        reasonData = new JsonObject(dataText);
      } catch (RuntimeException e) {
        throw new ServiceException(ServiceError.sender("InvalidFormat", "The value for parameter StateReasonData is not valid JSON."));
      }
    }
    int partition = partition(ctx.accountId(), ctx.region(), name);
    long id = id(ctx.accountId(), ctx.region(), name);
    loaded(partition);
    JsonObject data = reasonData;
    return serially(List.of(id), () -> {
      Slot slot = loaded(partition).get(id);
      if (slot == null) throw notFound(name);
      return transitionNow(partition, id, slot, state, reason, data);
    }).map(v -> new JsonObject());
  }

  static ServiceException notFound(String name) {
    return new ServiceException(ServiceError.sender("ResourceNotFound", "Alarm " + name + " not found"));
  }

  /**
   * Puts the alarm in {@code state}: the alarm, a StateUpdate history item and, when its actions are
   * enabled, one outbox entry per action of the new state, in one batch; then runs the actions. The
   * same state only updates the reason (no history item, no action), as SetAlarmState does on AWS.
   */
  Future<Void> transition(int partition, long id, Slot slot, AlarmState state, String reason, JsonObject reasonData) {
    return serially(List.of(id), () -> holds(partition, id, slot) && slot.alarm.state() != state
        ? transitionNow(partition, id, slot, state, reason, reasonData) : Future.succeededFuture());
  }

  private Future<Void> transitionNow(int partition, long id, Slot slot, AlarmState state, String reason, JsonObject reasonData) {
    MetricAlarm before = slot.alarm;
    Instant now = clock.instant();
    boolean changed = before.state() != state;
    MetricAlarm after = before.withState(state, reason, reasonData, changed ? now : before.stateUpdated());
    Batch b = metrics.batch();
    store.putAlarm(b, partition, id, after.toJson());
    List<AlarmStore.Entry> outbox = new ArrayList<>();
    if (changed) {
      store.putHistory(b, partition, id, now.toEpochMilli(), AlarmViews.stateUpdate(before, after));
      if (after.actionsEnabled()) {
        JsonObject note = AlarmViews.notification(after, before.state());
        String event = AlarmViews.lambdaEvent(before, after).encode();
        for (String arn : after.actionsFor(state)) {
          JsonObject action = (AlarmInputs.FUNCTION_ARN.matcher(arn).matches() ? new JsonObject().put("Payload", event) : note.copy())
              .put("Arn", arn).put("AlarmId", id).put("AlarmName", after.name())
              .put("AlarmArn", after.arn()).put("Account", after.account()).put("At", now.toEpochMilli());
          outbox.add(new AlarmStore.Entry(store.putAction(b, partition, id, ThreadLocalRandom.current().nextLong(), action), action));
        }
      }
    }
    return metrics.commit(partition, b, context).map(v -> {
      if (holds(partition, id, slot)) slot.alarm = after;
      for (AlarmStore.Entry e : outbox) actions.run(partition, e);
      return null;
    });
  }

  /**
   * The alarms of {@code names} in one partition (internal {@code eventplane:ChangeAlarms}):
   * {@code Change} is Check (answers the names not found), Delete, Enable or Disable.
   */
  public Future<JsonObject> change(JsonObject in, RequestContext ctx) {
    int partition = in.getInteger(CloudWatchPartitions.PARTITION);
    loaded(partition);
    List<Long> ids = new ArrayList<>();
    for (Object o : in.getJsonArray("Names")) ids.add(id(ctx.accountId(), ctx.region(), (String) o));
    return serially(ids, () -> changeNow(in, ctx, partition));
  }

  private Future<JsonObject> changeNow(JsonObject in, RequestContext ctx, int partition) {
    Map<Long, Slot> m = loaded(partition);
    String change = in.getString("Change");
    JsonArray missingNames = new JsonArray();
    Batch b = metrics.batch();
    Map<Long, MetricAlarm> changed = new HashMap<>();
    for (Object o : in.getJsonArray("Names")) {
      String name = (String) o;
      long id = id(ctx.accountId(), ctx.region(), name);
      Slot slot = m.get(id);
      if (slot == null) {
        missingNames.add(name);
        continue;
      }
      switch (change) {
        case "Delete" -> store.deleteAlarm(b, partition, id);
        case "Enable", "Disable" -> {
          MetricAlarm a = slot.alarm.withActionsEnabled(change.equals("Enable"));
          store.putAlarm(b, partition, id, a.toJson());
          changed.put(id, a);
        }
        default -> { }
      }
    }
    if (change.equals("Check")) return Future.succeededFuture(new JsonObject().put("Missing", missingNames));
    return metrics.commit(partition, b, context).map(v -> {
      Map<Long, Slot> current = alarms.get(partition);
      if (current != null) {
        for (Object o : in.getJsonArray("Names")) {
          long id = id(ctx.accountId(), ctx.region(), (String) o);
          if (change.equals("Delete")) current.remove(id);
          else if (changed.containsKey(id) && current.get(id) != null) {
            current.get(id).alarm = current.get(id).alarm.withActionsEnabled(change.equals("Enable"));
          }
        }
      }
      return new JsonObject().put("Missing", missingNames);
    });
  }

  /** This lane's alarms of the caller's account and region that pass {@code filter} ({@link AlarmQueries#matches}). */
  public JsonObject describeLocal(JsonObject filter, RequestContext ctx) {
    JsonArray out = new JsonArray();
    for (Map<Long, Slot> m : alarms.values()) {
      for (Slot s : m.values()) {
        MetricAlarm a = s.alarm;
        if (a.account().equals(ctx.accountId()) && a.region().equals(ctx.region()) && AlarmQueries.matches(a, filter)) {
          out.add(AlarmViews.metricAlarm(a));
        }
      }
    }
    return new JsonObject().put("Items", out);
  }

  /** This lane's history items of the caller's alarms that pass {@code filter} ({@link AlarmQueries#historyMatches}). */
  public Future<JsonObject> historyLocal(JsonObject filter, RequestContext ctx) {
    String name = filter.getString("AlarmName");
    List<long[]> wanted = new ArrayList<>();
    for (Map.Entry<Integer, Map<Long, Slot>> p : alarms.entrySet()) {
      for (Map.Entry<Long, Slot> s : p.getValue().entrySet()) {
        MetricAlarm a = s.getValue().alarm;
        if (a.account().equals(ctx.accountId()) && a.region().equals(ctx.region()) && (name == null || name.equals(a.name()))) {
          wanted.add(new long[] {p.getKey(), s.getKey()});
        }
      }
    }
    if (wanted.isEmpty()) return Future.succeededFuture(new JsonObject().put("Items", new JsonArray()));
    return vertx.executeBlocking(() -> {
      JsonArray out = new JsonArray();
      for (long[] w : wanted) {
        for (JsonObject item : store.history((int) w[0], w[1])) {
          if (AlarmQueries.historyMatches(item, filter)) out.add(item);
        }
      }
      return new JsonObject().put("Items", out);
    });
  }

  /** Once an hour of the service clock: history items older than two weeks go. */
  public Future<Void> maybeSweepHistory(long now) {
    if (lastHistorySweep != Long.MIN_VALUE && now - lastHistorySweep < HISTORY_SWEEP_MILLIS) return Future.succeededFuture();
    lastHistorySweep = now;
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<Integer, Map<Long, Slot>> p : alarms.entrySet()) {
      if (p.getValue().isEmpty()) continue;
      int partition = p.getKey();
      List<Long> ids = List.copyOf(p.getValue().keySet());
      all = all.compose(v -> {
        Batch b = metrics.batch();
        for (long id : ids) store.dropHistoryBefore(b, partition, id, now - HISTORY_KEPT_MILLIS);
        return metrics.commit(partition, b, context);
      });
    }
    return all;
  }
}
