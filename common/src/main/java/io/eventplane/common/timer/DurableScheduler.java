package io.eventplane.common.timer;

import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Timers that survive a crash: a timer is a key in the store, written in the same batch as the
 * domain change that needs it, so it exists exactly when that change does. The scheduler scans the
 * due range of the key space (keys start with the big-endian fire time) and hands each due timer
 * to the handler registered for its kind, on the handler's context; the key is deleted once the
 * handler succeeds. Fires at least once; never before its time on the injected clock.
 *
 * <p>Polls at most every {@link #MAX_IDLE_MILLIS} and sooner when the earliest timer is due sooner
 * or {@link #nudge} is called after a commit that added an earlier timer.
 */
public final class DurableScheduler {
  public static final String COLUMN_FAMILY = "timers";
  static final long MAX_IDLE_MILLIS = 500;
  private static final Logger LOG = Logger.getLogger(DurableScheduler.class.getName());
  private static final byte TIMER = 't';

  private final Vertx vertx;
  private final Store store;
  private final ColumnFamily cf;
  private final Clock clock;
  private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private Context context;
  private long timerId = -1;
  private long nextPollAt = Long.MAX_VALUE;
  private boolean scanning;
  private boolean stopped;

  private record Registration(Context context, TimerHandler handler) {}

  public DurableScheduler(Vertx vertx, Store store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.cf = store.columnFamily(COLUMN_FAMILY);
    this.clock = clock;
  }

  /** Starts polling on the caller's context. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> poll());
  }

  public void stop() {
    context.runOnContext(
        v -> {
          stopped = true;
          if (timerId >= 0) vertx.cancelTimer(timerId);
        });
  }

  /** Registers the handler of a kind; it runs on the caller's context. */
  public void register(String kind, TimerHandler handler) {
    handlers.put(kind, new Registration(vertx.getOrCreateContext(), handler));
  }

  /** Adds a timer to the batch: it exists once the batch is committed. Same kind and id and time replace. */
  public void schedule(Batch batch, String kind, String id, long fireAtMillis, byte[] payload) {
    batch.put(cf, key(kind, id, fireAtMillis), payload == null ? new byte[0] : payload);
  }

  /** Removes a timer in the batch; the caller names the time it scheduled it for. */
  public void cancel(Batch batch, String kind, String id, long fireAtMillis) {
    batch.delete(cf, key(kind, id, fireAtMillis));
  }

  /** Tells the scheduler that a timer due at the given time was committed. Thread-safe. */
  public void nudge(long fireAtMillis) {
    if (context == null) return;
    context.runOnContext(
        v -> {
          if (fireAtMillis < nextPollAt) arm(fireAtMillis - clock.millis());
        });
  }

  private static byte[] key(String kind, String id, long fireAtMillis) {
    return Keys.builder(32).u8(TIMER).u64(fireAtMillis).part(kind).string(id).build();
  }

  private void arm(long delayMillis) {
    if (stopped) return;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    long delay = Math.max(1, Math.min(delayMillis, MAX_IDLE_MILLIS));
    nextPollAt = clock.millis() + delay;
    timerId = vertx.setTimer(delay, t -> {
      timerId = -1;
      poll();
    });
  }

  private void poll() {
    if (stopped || scanning) return;
    scanning = true;
    long now = clock.millis();
    vertx
        .executeBlocking(() -> scanDue(now), false)
        .onComplete(
            ar -> {
              scanning = false;
              if (ar.failed()) {
                LOG.log(Level.WARNING, "timer scan failed", ar.cause());
                arm(MAX_IDLE_MILLIS);
                return;
              }
              Due due = ar.result();
              due.timers.forEach(this::fire);
              arm(due.nextFireAt == Long.MAX_VALUE ? MAX_IDLE_MILLIS : due.nextFireAt - clock.millis());
            });
  }

  private record Due(List<Timer> timers, long nextFireAt) {}

  private Due scanDue(long now) {
    List<Timer> due = new ArrayList<>();
    long[] next = {Long.MAX_VALUE};
    byte[] from = {TIMER};
    byte[] to = Keys.prefixEnd(from);
    store.scanRange(
        cf,
        from,
        to,
        (key, value) -> {
          long fireAt = Keys.readLong(key, 1);
          if (fireAt > now) {
            next[0] = fireAt;
            return false;
          }
          int sep = 9;
          while (key[sep] != 0) sep++;
          String kind = new String(key, 9, sep - 9, StandardCharsets.UTF_8);
          String id = new String(key, sep + 1, key.length - sep - 1, StandardCharsets.UTF_8);
          due.add(new Timer(kind, id, fireAt, value));
          return due.size() < 1000;
        });
    if (due.size() >= 1000) next[0] = now;
    return new Due(due, next[0]);
  }

  private void fire(Timer timer) {
    String runningKey = timer.kind() + '\0' + timer.id() + '\0' + timer.fireAtMillis();
    Registration reg = handlers.get(timer.kind());
    if (reg == null || !running.add(runningKey)) return;
    reg.context.runOnContext(
        v -> {
          Future<Void> f;
          try {
            f = reg.handler.fire(timer);
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.compose(
                  ok -> {
                    Batch batch = store.batch();
                    cancel(batch, timer.kind(), timer.id(), timer.fireAtMillis());
                    return store.commit(batch, reg.context);
                  })
              .onComplete(
                  ar -> {
                    running.remove(runningKey);
                    if (ar.failed()) {
                      LOG.log(Level.WARNING, "timer " + timer.kind() + "/" + timer.id() + " failed; retrying", ar.cause());
                    }
                  });
        });
  }

  /** Ids of timers currently being run, for tests. */
  Set<String> running() {
    return new HashSet<>(running);
  }
}
