package io.eventplane.functions.runtime;

import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.common.logs.LogStreams;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The function instances of this node. An invocation goes to a warm instance of its function when
 * one is free, else to a new one, up to the function's reserved concurrency and the node's limit;
 * beyond them it is throttled. Instances of a function's older revision take no new invocations
 * and end when they finish; instances idle for longer than the idle limit are reaped. One per
 * Lambda lane, for the lane's functions, on the lane's context (asserted under {@code -ea}); the
 * node's limit is shared with the other lanes through {@link InstanceSlots}.
 */
public final class Instances {
  private static final System.Logger LOG = System.getLogger(Instances.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final java.util.function.Supplier<Launcher> launcher;
  private final LogStreams logs;
  private final InstanceSlots slots;
  private final long idleMillis;
  /** How recently an instance must have answered for an invocation to wait for its next request. */
  private static final long JUST_FINISHED_MILLIS = 1000;
  private final Map<String, Pool> pools = new HashMap<>();
  private final io.eventplane.common.partition.OwningThread owner;
  private long reaper = -1;
  private InvocationMetrics metrics = InvocationMetrics.NONE;

  /** The package reader of a function: called on a worker thread when a node must unpack it. */
  public interface CodeSource {
    byte[] read(Function f);
  }

  private final CodeSource code;

  /**
   * Made on the lane's context, whose thread becomes the owner of this state.
   *
   * @param launcher gives the launcher; called on a worker thread at every launch (it may be made on the first)
   * @param slots the node's instance limit, shared by every lane
   */
  public Instances(Vertx vertx, Context context, java.util.function.Supplier<Launcher> launcher, CodeSource code, LogStreams logs,
      InstanceSlots slots, long idleMillis) {
    this.vertx = vertx;
    this.context = context;
    this.launcher = launcher;
    this.code = code;
    this.logs = logs;
    this.slots = slots;
    this.idleMillis = idleMillis;
    this.owner = new io.eventplane.common.partition.OwningThread("function instances");
  }

  public void start() {
    assert owner.check();
    slots.join(this);
    reaper = vertx.setPeriodic(Math.max(100, Math.min(idleMillis / 2, 10_000)), t -> reapIdle());
  }

  /** Ends every instance of this lane, busy or not (the node is shutting down). */
  public void stop() {
    assert owner.check();
    slots.leave(this);
    if (reaper >= 0) vertx.cancelTimer(reaper);
    List<Worker> all = new ArrayList<>(retiring);
    for (Pool p : pools.values()) all.addAll(p.workers);
    pools.clear();
    for (Worker w : all) w.stop();
  }

  /** Where invocations, errors, throttles, durations and cold starts are counted ({@link InvocationMetrics#NONE} until set). */
  public void setMetrics(InvocationMetrics metrics) {
    this.metrics = metrics;
  }

  /** Where this lane's invocations are counted (and its asynchronous events, by {@code AsyncInvocations}). */
  public InvocationMetrics metrics() {
    return metrics;
  }

  /** Runs the invocation on an instance of {@code f}'s current revision. */
  public Future<InvocationResult> invoke(Function f, Invocation invocation) {
    assert owner.check();
    if (metrics != InvocationMetrics.NONE) measure(f, invocation);
    Pool pool = pools.get(f.versionArn());
    if (pool == null || !pool.function.revisionId().equals(f.revisionId())) {
      if (pool != null) pool.retire();
      pool = new Pool(f);
      pools.put(f.versionArn(), pool);
    }
    pool.invoke(f, invocation);
    return invocation.result();
  }

  private void measure(Function f, Invocation invocation) {
    InvocationMetrics m = metrics;
    m.started(f);
    invocation.result().onComplete(ar -> {
      if (ar.succeeded()) {
        long started = invocation.startedNanos();
        m.finished(f, invocation.qualifier(), ar.result().failed(), started == 0 ? -1 : System.nanoTime() - started);
      } else if (ar.cause() instanceof io.eventplane.common.error.ServiceException e
          && e.error().code().equals("TooManyRequestsException")) {
        m.throttled(f, invocation.qualifier());
      } else {
        m.rejected(f);
      }
    });
  }

  /**
   * Ends every instance of the function (deleted, or its partition left this node): of $LATEST
   * and, given the unqualified ARN, of its published versions ({@code arn:N}) too.
   */
  public void retire(String functionArn) {
    assert owner.check();
    for (java.util.Iterator<Map.Entry<String, Pool>> it = pools.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Pool> e = it.next();
      if (e.getKey().equals(functionArn) || e.getKey().startsWith(functionArn + ":")) {
        it.remove();
        e.getValue().retire();
      }
    }
  }

  /** The instances of a function that are running now, for tests and metrics. */
  public int running(String functionArn) {
    assert owner.check();
    Pool pool = pools.get(functionArn);
    return pool == null ? 0 : pool.workers.size();
  }

  /** Workers of retired pools still finishing an invocation. */
  private final Set<Worker> retiring = new LinkedHashSet<>();

  private void reapIdle() {
    long now = System.currentTimeMillis();
    for (Pool p : new ArrayList<>(pools.values())) {
      for (Worker w : new ArrayList<>(p.idle)) {
        if (now - w.lastUsedMillis() > idleMillis) w.stop();
      }
    }
  }

  /**
   * Another lane is full and has no idle instance: ends this lane's longest idle instance, on this
   * lane's context. Completes (on this lane's thread) with whether there was one to end.
   */
  Future<Boolean> evictIdleFromAnotherLane() {
    java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> done.complete(evictIdle(null)));
    return Future.fromCompletionStage(done);
  }

  /** Frees a place for a new instance by ending the longest idle instance of another function. */
  private boolean evictIdle(Pool except) {
    assert owner.check();
    Worker oldest = null;
    for (Pool p : pools.values()) {
      if (p == except) continue;
      for (Worker w : p.idle) {
        if (oldest == null || w.lastUsedMillis() < oldest.lastUsedMillis()) oldest = w;
      }
    }
    if (oldest == null) return false;
    oldest.stop();
    return true;
  }

  /** The instances of one revision of one function. */
  private final class Pool implements Worker.Events {
    final Function function;
    final Set<Worker> workers = new LinkedHashSet<>();
    /** Instances waiting for work, the most recently used first, so that the others go idle and are reaped. */
    final Deque<Worker> idle = new ArrayDeque<>();
    /** Instances whose package is being unpacked: counted before their worker exists. */
    int launching;
    boolean retired;

    Pool(Function function) {
      this.function = function;
    }

    /** @param current the function as it is now (same revision; its reserved concurrency may have changed) */
    void invoke(Function current, Invocation invocation) {
      Integer reserved = current.reservedConcurrency();
      if (reserved != null && reserved == 0) {
        invocation.reject(FunctionErrors.throttled("ReservedFunctionConcurrentInvocationLimitExceeded"));
        return;
      }
      Worker warm = idle.pollFirst();
      if (warm == null) warm = justFinished();
      if (warm != null) {
        warm.assign(invocation);
        return;
      }
      if (reserved != null && workers.size() + launching >= reserved) {
        invocation.reject(FunctionErrors.throttled("ReservedFunctionConcurrentInvocationLimitExceeded"));
        return;
      }
      if (slots.tryTake() || (evictIdle(this) && slots.tryTake())) {
        launch(invocation);
        return;
      }
      // The node is full and this lane has no idle instance to end: another lane may have one. The
      // answer comes back on this lane's context.
      launching++;
      Future.fromCompletionStage(slots.evictElsewhere(Instances.this).toCompletionStage(), context).onComplete(ar -> {
        launching--;
        if (ar.succeeded() && ar.result() && slots.tryTake()) {
          launch(invocation);
        } else {
          invocation.reject(FunctionErrors.throttled("ConcurrentInvocationLimitExceeded"));
        }
      });
    }

    /** An instance that answered a moment ago and is about to ask for work, if any. */
    private Worker justFinished() {
      long now = System.currentTimeMillis();
      for (Worker w : workers) {
        if (w.justFinished(now, JUST_FINISHED_MILLIS)) return w;
      }
      return null;
    }

    /** Starts an instance for the invocation in the slot the caller took. */
    private void launch(Invocation invocation) {
      String id = slots.nextId();
      metrics.coldStart(function);
      launching++;
      vertx.executeBlocking(() -> launcher.get().launch(function, id, () -> code.read(function))).onComplete(ar -> {
        launching--;
        if (ar.failed()) {
          slots.give();
          LOG.log(System.Logger.Level.WARNING, "cannot start an instance of " + function.arn(), ar.cause());
          invocation.fail("Runtime.InvalidEntrypoint", "RequestId: " + invocation.requestId()
              + " Error: the instance could not start: " + ar.cause().getMessage());
          return;
        }
        Worker w = new Worker(vertx, context, id, ar.result(), function.timeoutSeconds(),
            logs.open(function.accountId(), function.region(), Launcher.logGroupName(function), Launcher.logStreamName(function, id)), this);
        workers.add(w);
        w.assign(invocation);
        w.start();
        if (retired) retiring.add(w);
      });
    }

    @Override
    public void available(Worker worker) {
      if (retired || worker.state() == Worker.State.DEAD || worker.servedItsTime(System.currentTimeMillis())) {
        worker.stop();
        return;
      }
      idle.remove(worker);
      idle.addFirst(worker);
    }

    @Override
    public void gone(Worker worker) {
      slots.give();
      workers.remove(worker);
      idle.remove(worker);
      retiring.remove(worker);
    }

    void retire() {
      retired = true;
      for (Worker w : new ArrayList<>(idle)) w.stop();
      idle.clear();
      for (Worker w : workers) {
        if (w.state() != Worker.State.DEAD) retiring.add(w);
      }
    }
  }
}
