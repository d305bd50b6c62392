package io.eventplane.eventbridge.delivery;

import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Replay;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.StoredEvent;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The replays of one lane, run on the lane's context. A replay reads its archive's time window in
 * pages ({@value #PAGE} events, time then sequence order) on a worker, routes each event (with
 * {@code replay-name} added to the envelope after {@code region}, as EventBridge adds it) through
 * the bus's machine (only the rules of {@code FilterArns} when given), and writes, in one batch,
 * the page's events and pending deliveries (the outbox PutEvents writes to) and the replay's
 * progress (the last key and its event time). The deliveries start once that batch is durable, and
 * only then is the next page read; so a replay taken over after a restart or a failover resumes
 * after the last page it wrote, and CancelReplay takes effect between pages.
 *
 * <p>Retention: while this lane holds an archive with RetentionDays, a timer every
 * {@value #RETENTION_MILLIS} ms deletes (in pages, with the archive's counters) the archived events
 * older than that by the service's clock; with no such archive no timer is armed.
 */
public final class Replays {
  private static final Logger LOG = Logger.getLogger(Replays.class.getName());
  static final int PAGE = 100;
  /**
   * A pause between pages, in milliseconds (system property; none by default): paces a replay so
   * that it leaves room to other work, and lets tests catch one mid-way.
   */
  public static final String PAUSE_PROPERTY = "eventplane.events.replayPagePauseMillis";
  static final long RETENTION_MILLIS = 5_000;
  private static final long DAY_MILLIS = 86_400_000L;

  private final Vertx vertx;
  private final Context context;
  private final Buses buses;
  private final Archives archives;
  private final Deliveries deliveries;
  private final EventStore store;
  private final Clock clock;
  /** Replays running here, by key, each with the token its loop checks (a new token stops an old loop). */
  private final Map<String, Object> running = new HashMap<>();
  private long retentionTimer = -1;
  private java.util.function.Consumer<Replay> onEnded = r -> {};
  private boolean sweeping;

  public Replays(Vertx vertx, Context context, Buses buses, Archives archives, Deliveries deliveries, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.buses = buses;
    this.archives = archives;
    this.deliveries = deliveries;
    this.store = buses.store();
    this.clock = clock;
  }

  /** Told of each replay whose end (COMPLETED, CANCELLED, FAILED) is durable. */
  public void onEnded(java.util.function.Consumer<Replay> listener) {
    this.onEnded = listener;
  }

  /** Runs a replay whose record is committed (new, or found active when its partition was taken). */
  public void start(Replay replay) {
    String key = Archives.key(replay.account(), replay.region(), replay.name());
    Object token = new Object();
    running.put(key, token);
    context.runOnContext(v -> page(key, token));
  }

  /** Resumes the partition's replays that were running (after a restart or a failover). */
  public void resume(int partition) {
    for (Replay r : archives.activeReplays(partition)) start(r);
    archivesChanged();
  }

  /** A CancelReplay was committed: the loop sees it between pages; a replay not running here is finished now. */
  public void cancelled(Replay replay) {
    String key = Archives.key(replay.account(), replay.region(), replay.name());
    if (!running.containsKey(key)) start(replay);
  }

  /** Stops the loops of a partition this node no longer owns (the new owner resumes them). */
  public void unload(int partition) {
    running.keySet().removeIf(k -> {
      Replay r = replayOf(k);
      return r == null || r.bus().partition() == partition;
    });
    archivesChanged();
  }

  public void clear() {
    running.clear();
    if (retentionTimer >= 0) vertx.cancelTimer(retentionTimer);
    retentionTimer = -1;
  }

  private Replay replayOf(String key) {
    String[] p = key.split("\0", 3);
    return archives.replay(p[0], p[1], p[2]);
  }

  private void page(String key, Object token) {
    if (running.get(key) != token) return;
    Replay r = replayOf(key);
    if (r == null || !r.active()) {
      running.remove(key);
      return;
    }
    if (Replay.CANCELLING.equals(r.state())) {
      finish(key, token, r.withState(Replay.CANCELLED, clock.millis()));
      return;
    }
    Archive archive = archives.get(r.account(), r.region(), r.archive());
    if (archive == null) {
      finish(key, token, r.withState(Replay.FAILED, clock.millis()));
      return;
    }
    byte[] after = r.lastKey() == null ? null : HexFormat.of().parseHex(r.lastKey());
    vertx.executeBlocking(() -> store.readArchived(archive, r.eventStartTime(), r.eventEndTime(), after, PAGE))
        .onComplete(ar -> {
          if (running.get(key) != token) return;
          if (ar.failed()) {
            LOG.log(Level.WARNING, "replay " + r.arn() + " could not read its archive; trying again", ar.cause());
            vertx.setTimer(1_000, t -> page(key, token));
            return;
          }
          Replay now = replayOf(key);
          if (now == null) {
            running.remove(key);
            return;
          }
          if (Replay.CANCELLING.equals(now.state())) {
            finish(key, token, now.withState(Replay.CANCELLED, clock.millis()));
          } else if (ar.result().isEmpty()) {
            finish(key, token, now.withState(Replay.COMPLETED, clock.millis()));
          } else {
            send(key, token, now, ar.result());
          }
        });
  }

  /** Routes one page and writes its events, deliveries and the replay's progress in one batch. */
  private void send(String key, Object token, Replay r, List<EventStore.ArchivedEvent> page) {
    int partition = r.bus().partition();
    Set<String> filters = r.filterArns() == null ? null : new HashSet<>(r.filterArns());
    long now = clock.millis();
    Batch b = store.batch();
    List<StoredEvent> stored = new ArrayList<>();
    List<List<EventStore.PendingDelivery>> pending = new ArrayList<>();
    long lastSeq = -1;
    List<Rule> matches = new ArrayList<>();
    for (EventStore.ArchivedEvent e : page) {
      String envelope = withReplayName(e.envelope(), r.name());
      List<EventStore.PendingDelivery> ds = new ArrayList<>();
      long seq = -1;
      for (Rule rule : buses.matching(r.bus(), envelope)) {
        if (filters != null && !filters.contains(rule.arn())) continue;
        matches.add(rule);
        for (Target t : rule.targets().values()) {
          if (seq < 0) seq = buses.nextSequence(partition);
          ds.add(new EventStore.PendingDelivery(seq, rule.arn(), t.id(), 0, 0));
        }
      }
      if (ds.isEmpty()) continue;
      StoredEvent event = new StoredEvent(seq, r.bus(), new JsonObject(envelope).getString("id"), envelope, now);
      store.putEvent(b, partition, event);
      for (EventStore.PendingDelivery d : ds) store.putDelivery(b, partition, seq, d.ruleArn(), d.targetId(), 0, 0);
      lastSeq = seq;
      stored.add(event);
      pending.add(ds);
    }
    if (lastSeq >= 0) store.putSequence(b, partition, lastSeq);
    EventStore.ArchivedEvent last = page.get(page.size() - 1);
    Replay progressed = r.progressed(last.time(), HexFormat.of().formatHex(last.key()));
    store.putReplay(b, progressed);
    // DescribeReplay shows the progress once it is durable, not before: a kill -9 must not move a
    // shown EventLastReplayedTime backwards.
    buses.commit(partition, b).onComplete(ar -> {
      if (running.get(key) != token) return;
      if (ar.failed()) {
        // Not written: the progress stays where it was, and the page is read again.
        LOG.log(Level.WARNING, "replay " + r.arn() + " could not write a page; trying again", ar.cause());
        vertx.setTimer(1_000, t -> page(key, token));
        return;
      }
      // A CancelReplay committed meanwhile (after this batch) keeps its state; the next page ends the loop.
      Replay current = replayOf(key);
      archives.putReplay(current != null && Replay.CANCELLING.equals(current.state())
          ? progressed.withState(Replay.CANCELLING, current.replayEndTime()) : progressed);
      for (Rule rule : matches) deliveries.metrics().matched(rule);
      for (int i = 0; i < stored.size(); i++) deliveries.add(partition, stored.get(i), pending.get(i));
      long pause = Long.getLong(PAUSE_PROPERTY, 0L);
      if (pause > 0) vertx.setTimer(pause, t -> page(key, token));
      else context.runOnContext(v -> page(key, token));
    });
  }

  private void finish(String key, Object token, Replay done) {
    Batch b = store.batch();
    store.putReplay(b, done);
    archives.putReplay(done);
    running.remove(key);
    buses.commit(done.bus().partition(), b).onComplete(ar -> {
      if (ar.failed()) LOG.log(Level.WARNING, "replay " + done.arn() + " could not record its end", ar.cause());
      else onEnded.accept(done);
    });
  }

  /** The envelope with {@code replay-name} after {@code region}, where EventBridge puts it. */
  static String withReplayName(String envelope, String replayName) {
    JsonObject in = new JsonObject(envelope);
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : in) {
      if (e.getKey().equals("replay-name")) continue;
      out.put(e.getKey(), e.getValue());
      if (e.getKey().equals("region")) out.put("replay-name", replayName);
    }
    if (!out.containsKey("replay-name")) out.put("replay-name", replayName);
    return out.encode();
  }

  // ---- retention ----

  /** Arms the retention timer while an archive with retention is held here, and only then. */
  public void archivesChanged() {
    boolean needed = archives.withRetention().size() > 0;
    if (needed && retentionTimer < 0) {
      retentionTimer = vertx.setPeriodic(RETENTION_MILLIS, t -> sweep());
    } else if (!needed && retentionTimer >= 0) {
      vertx.cancelTimer(retentionTimer);
      retentionTimer = -1;
    }
  }

  private void sweep() {
    if (sweeping) return;
    List<Archive> due = archives.withRetention();
    if (due.isEmpty()) {
      archivesChanged();
      return;
    }
    sweeping = true;
    long now = clock.millis();
    sweepNext(due, 0, now);
  }

  private void sweepNext(List<Archive> due, int i, long now) {
    if (i >= due.size()) {
      sweeping = false;
      return;
    }
    Archive a = due.get(i);
    long cutoff = now - a.retentionDays() * DAY_MILLIS;
    vertx.executeBlocking(() -> store.readArchived(a, 0, cutoff, null, 1_000)).onComplete(ar -> {
      Archive current = archives.get(a.account(), a.region(), a.name());
      if (ar.failed() || ar.result().isEmpty() || current == null) {
        sweepNext(due, i + 1, now);
        return;
      }
      long bytes = 0;
      Batch b = store.batch();
      for (EventStore.ArchivedEvent e : ar.result()) {
        store.deleteArchived(b, e.key());
        bytes += e.envelope().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      }
      Archive counted = current.uncounting(ar.result().size(), bytes);
      store.putArchive(b, counted);
      archives.put(counted);
      boolean more = ar.result().size() == 1_000;
      buses.commit(a.bus().partition(), b).onComplete(c -> sweepNext(due, more && c.succeeded() ? i : i + 1, now));
    });
  }
}
