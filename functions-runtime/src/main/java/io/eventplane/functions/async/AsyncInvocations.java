package io.eventplane.functions.async;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.functions.domain.EventInvokeConfig;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.runtime.Instances;
import io.eventplane.functions.runtime.Invocation;
import io.eventplane.functions.runtime.InvocationResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Lambda's asynchronous invocation: an Event invoke is written to the function's durable queue
 * before it is acknowledged, then run on an instance; a function error is retried (by default
 * twice, after about one and then two minutes) while the event is younger than its maximum age,
 * and an event that gives up goes to the function's dead-letter target. Throttles are retried
 * without counting as attempts. A node that takes a partition resumes its queue, so events
 * acknowledged before a crash still run. One per Lambda lane, for its partitions, on the lane's context.
 */
public final class AsyncInvocations {
  private static final System.Logger LOG = System.getLogger(AsyncInvocations.class.getName());
  private static final long THROTTLE_RETRY_MILLIS = 500;

  private final Vertx vertx;
  private final Context context;
  private final Functions functions;
  private final Instances instances;
  private final DeadLetters deadLetters;
  private final Clock clock;
  private final long firstRetryMillis;
  private final io.eventplane.common.partition.OwningThread owner;
  /** Timers of the events waiting for their next attempt, by partition and request id. */
  private final Map<Integer, Map<String, Long>> waiting = new HashMap<>();
  private final Set<String> running = new HashSet<>();
  /** The events this lane holds (waiting or running), by partition and request id: what the queue gauges count. */
  private final Map<Integer, Map<String, AsyncEvent>> queued = new HashMap<>();
  /** Whether {@link #queued} is kept: only with metrics on ({@link #trackQueues()}). */
  private boolean trackQueues;

  /** A function's asynchronous queue as metrics see it: its events and when the oldest was queued (epoch millis). */
  public record QueueState(int events, long oldestEnqueuedAt) {}

  /** @param firstRetryMillis the delay before the first retry; the second waits twice as long */
  public AsyncInvocations(Vertx vertx, Context context, Functions functions, Instances instances, Clock clock,
      long firstRetryMillis) {
    this.vertx = vertx;
    this.context = context;
    this.functions = functions;
    this.instances = instances;
    this.deadLetters = new DeadLetters(vertx);
    this.clock = clock;
    this.firstRetryMillis = firstRetryMillis;
    this.owner = new io.eventplane.common.partition.OwningThread("asynchronous invocations");
  }

  /** Stores the event; completes when it is durable, and runs it then. */
  public Future<Void> enqueue(Function f, String requestId, byte[] payload) {
    assert owner.check();
    long now = clock.millis();
    AsyncEvent event = new AsyncEvent(f.accountId(), f.region(), f.name(), f.version(), requestId, payload, now, 0, now);
    int partition = Functions.partitionOf(f.accountId(), f.name());
    Batch b = functions.store().batch();
    functions.store().putEvent(b, partition, event.enqueuedAt(), requestId, event.toJson());
    return commit(partition, b).map(v -> {
      instances.metrics().asyncReceived(f);
      schedule(partition, event);
      return null;
    });
  }

  /** Resumes a partition's queue (this node now owns it). */
  public Future<Void> load(int partition) {
    assert owner.check();
    return vertx.executeBlocking(() -> functions.store().loadEvents(partition)).map(events -> {
      for (JsonObject j : events) schedule(partition, AsyncEvent.fromJson(j));
      return null;
    });
  }

  /** Stops running a partition's events (another node owns it now); they stay in the store. */
  public void unload(int partition) {
    assert owner.check();
    Map<String, Long> timers = waiting.remove(partition);
    if (timers != null) timers.values().forEach(vertx::cancelTimer);
    queued.remove(partition);
  }

  /** Forgets every waiting event (a reset; the store is cleared by the caller). */
  public void clear() {
    assert owner.check();
    stop();
  }

  public void stop() {
    assert owner.check();
    for (Map<String, Long> timers : waiting.values()) timers.values().forEach(vertx::cancelTimer);
    waiting.clear();
    queued.clear();
  }

  private void schedule(int partition, AsyncEvent event) {
    if (trackQueues) queued.computeIfAbsent(partition, p -> new HashMap<>()).put(event.requestId(), event);
    long delay = Math.max(1, event.nextAttemptAt() - clock.millis());
    Map<String, Long> timers = waiting.computeIfAbsent(partition, p -> new HashMap<>());
    timers.put(event.requestId(), vertx.setTimer(delay, t -> {
      Map<String, Long> now = waiting.get(partition);
      if (now == null || now.remove(event.requestId()) == null) return;
      attempt(partition, event);
    }));
  }

  private void attempt(int partition, AsyncEvent event) {
    Function latest = functions.get(new FunctionName(event.accountId(), event.region(), event.functionName(), null));
    Function f = latest == null || Function.LATEST.equals(event.version()) ? latest : functions.version(latest, event.version());
    if (f == null) {
      remove(partition, event);
      return;
    }
    if (!running.add(event.requestId())) return;
    instances.metrics().asyncAttempt(f, Math.max(0, clock.millis() - event.enqueuedAt()));
    Invocation invocation = new Invocation(event.requestId(), event.payload(), null);
    instances.invoke(f, invocation).onComplete(ar -> {
      running.remove(event.requestId());
      if (!waiting.containsKey(partition)) return; // the partition left this node: its new owner runs the event
      if (ar.failed()) {
        if (ar.cause() instanceof ServiceException e && e.error().code().equals("TooManyRequestsException")) {
          schedule(partition, event.throttled(clock.millis() + THROTTLE_RETRY_MILLIS));
        } else {
          failed(partition, f, event, 500, String.valueOf(ar.cause().getMessage()), null);
        }
        return;
      }
      InvocationResult result = ar.result();
      if (!result.failed()) {
        EventInvokeConfig config = configOf(f);
        if (config.onSuccess() != null) {
          send(f, config.onSuccess(), record(f, event, "Success", result));
        }
        remove(partition, event);
      } else {
        failed(partition, f, event, 200, errorMessage(result), result);
      }
    });
  }

  private void failed(int partition, Function f, AsyncEvent event, int errorCode, String message, InvocationResult result) {
    EventInvokeConfig config = configOf(f);
    long now = clock.millis();
    int retriesSoFar = event.attempts();
    long nextDelay = firstRetryMillis * (1L << Math.min(retriesSoFar, 10));
    boolean tooOld = now + nextDelay - event.enqueuedAt() > config.maxAgeMillis();
    if (retriesSoFar >= config.retries() || tooOld) {
      giveUp(partition, f, event, errorCode, message, result, retriesSoFar >= config.retries() ? "RetriesExhausted"
          : "EventAgeExceeded");
      return;
    }
    AsyncEvent next = event.retried(now + nextDelay);
    Batch b = functions.store().batch();
    functions.store().putEvent(b, partition, next.enqueuedAt(), next.requestId(), next.toJson());
    commit(partition, b).onComplete(ar -> {
      if (waiting.containsKey(partition)) schedule(partition, next);
    });
  }

  private void giveUp(int partition, Function f, AsyncEvent event, int errorCode, String message, InvocationResult result,
      String condition) {
    // AWS counts an event given up as dropped whether or not a dead-letter target or destination gets it.
    instances.metrics().asyncDropped(f);
    EventInvokeConfig config = configOf(f);
    List<Future<Void>> sends = new ArrayList<>();
    if (f.deadLetterTargetArn() != null) {
      sends.add(deadLetters.send(f.deadLetterTargetArn(), event, errorCode, message).onFailure(e -> {
        instances.metrics().deadLetterError(f);
        LOG.log(System.Logger.Level.WARNING, "{0}: event {1} could not reach the dead-letter target {2}: {3}",
            f.arn(), event.requestId(), f.deadLetterTargetArn(), e.getMessage());
      }));
    }
    if (config.onFailure() != null) sends.add(send(f, config.onFailure(), record(f, event, condition, result)));
    if (sends.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "{0}: event {1} discarded after {2} attempts: {3}", f.arn(),
          event.requestId(), event.attempts() + 1, message);
    }
    Future.join(sends).onComplete(done -> remove(partition, event));
  }

  private Future<Void> send(Function f, String destination, JsonObject record) {
    return deadLetters.record(destination, record).onFailure(e -> {
      instances.metrics().destinationDeliveryFailure(f);
      LOG.log(System.Logger.Level.WARNING, "{0}: the invocation record could not reach {1}: {2}", f.arn(), destination,
          e.getMessage());
    });
  }

  private EventInvokeConfig configOf(Function f) {
    EventInvokeConfig c = functions.invokeConfig(f);
    return c == null ? EventInvokeConfig.DEFAULTS : c;
  }

  /** The invocation record Lambda sends to destinations. */
  private JsonObject record(Function f, AsyncEvent event, String condition, InvocationResult result) {
    JsonObject response = new JsonObject().put("statusCode", 200).put("executedVersion", Function.LATEST);
    if (result != null && result.failed()) response.put("functionError", result.functionError());
    JsonObject out = new JsonObject()
        .put("version", "1.0")
        .put("timestamp", java.time.Instant.ofEpochMilli(clock.millis()).toString())
        .put("requestContext", new JsonObject().put("requestId", event.requestId())
            .put("functionArn", f.arn() + ":" + f.version()).put("condition", condition)
            .put("approximateInvokeCount", event.attempts() + 1))
        .put("requestPayload", json(event.payload()))
        .put("responseContext", response);
    if (result != null) out.put("responsePayload", json(result.payload()));
    return out;
  }

  /** A payload as JSON when it is JSON, else as a string. */
  private static Object json(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    if (text.isBlank()) return null;
    try {
      Object value = io.vertx.core.json.Json.decodeValue(text);
      if (value instanceof java.util.Map<?, ?> map) {
        @SuppressWarnings("unchecked") java.util.Map<String, Object> m = (java.util.Map<String, Object>) map;
        return new JsonObject(m);
      }
      if (value instanceof java.util.List<?> list) return new io.vertx.core.json.JsonArray(new ArrayList<>(list));
      return value;
    } catch (RuntimeException notJson) {
      return text;
    }
  }

  private void remove(int partition, AsyncEvent event) {
    Map<String, AsyncEvent> events = queued.get(partition);
    if (events != null) events.remove(event.requestId());
    Batch b = functions.store().batch();
    functions.store().deleteEvent(b, partition, event.enqueuedAt(), event.requestId());
    commit(partition, b);
  }

  private static String errorMessage(InvocationResult result) {
    String text = new String(result.payload(), StandardCharsets.UTF_8);
    try {
      JsonObject error = new JsonObject(text);
      String message = error.getString("errorMessage");
      return message != null ? message : text;
    } catch (RuntimeException notJson) {
      return text;
    }
  }

  private Future<Void> commit(int partition, Batch b) {
    return functions.store().commit(partition, b, context);
  }

  /** Keeps the events this lane holds from now on, for {@link #queues()} (metrics on; set before any partition loads). */
  public void trackQueues() {
    assert owner.check();
    trackQueues = true;
  }

  /** Whether {@link #queues()} counts the events (metrics on). */
  public boolean tracksQueues() {
    return trackQueues;
  }

  /** Every function's queue held by this lane, by account, region and function name (a version's events count in its function's). */
  public Map<FunctionName, QueueState> queues() {
    assert owner.check();
    Map<FunctionName, QueueState> out = new HashMap<>();
    for (Map<String, AsyncEvent> events : queued.values()) {
      for (AsyncEvent e : events.values()) {
        out.merge(new FunctionName(e.accountId(), e.region(), e.functionName(), null), new QueueState(1, e.enqueuedAt()),
            (a, b) -> new QueueState(a.events() + b.events(), Math.min(a.oldestEnqueuedAt(), b.oldestEnqueuedAt())));
      }
    }
    return out;
  }

  /** For tests: the events of a partition waiting for an attempt. */
  public int waiting() {
    assert owner.check();
    int n = 0;
    for (Map<String, Long> timers : waiting.values()) n += timers.size();
    return n + running.size();
  }
}
