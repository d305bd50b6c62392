package io.eventplane.functions;

import io.eventplane.functions.async.AsyncInvocations;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.mapping.EventSourceMapping;
import io.eventplane.functions.mapping.EventSourceMappings;
import io.eventplane.functions.runtime.InvocationMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Lambda lane's functions in the node's metrics, labelled by account, region and function name
 * (its versions and aliases count in it), as CloudWatch's AWS/Lambda metrics: counters of
 * invocations, errors, throttles and cold starts, a histogram of durations, and gauges of the
 * concurrent executions, the events in the asynchronous queue and the age of its oldest.
 *
 * <p>Everything but the gauges' reads runs on the lane's context: counters are found there (once
 * per function) and incremented there, and before a scrape {@link #refresh()} copies the gauges'
 * values there. A function the lane no longer has (deleted, or its partition moved away) loses its
 * gauges; its counters stay, so that a sum over the nodes never goes down.
 */
final class FunctionMeters implements InvocationMetrics {
  private final MeterRegistry registry;
  private final Functions functions;
  private final AsyncInvocations async;
  private final Clock clock;
  /** By "account region name"; lane-confined. */
  private final Map<FunctionName, PerFunction> byName = new HashMap<>();
  private final EventSourceMappings mappings;
  /** Stream mappings' iterator ages, by mapping UUID; lane-confined. */
  private final Map<String, PerMapping> byMapping = new HashMap<>();

  FunctionMeters(MeterRegistry registry, Functions functions, AsyncInvocations async, EventSourceMappings mappings, Clock clock) {
    this.registry = registry;
    this.functions = functions;
    this.async = async;
    async.trackQueues();
    this.mappings = mappings;
    this.clock = clock;
  }

  @Override
  public void started(Function f) {
    of(f.accountId(), f.region(), f.name()).executing++;
  }

  @Override
  public void coldStart(Function f) {
    of(f.accountId(), f.region(), f.name()).coldStarts.increment();
  }

  @Override
  public void finished(Function f, String qualifier, boolean error, long durationNanos) {
    PerFunction p = of(f.accountId(), f.region(), f.name());
    p.executing--;
    p.invocations.increment();
    if (error) p.errors.increment();
    if (durationNanos >= 0) p.duration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void throttled(Function f, String qualifier) {
    PerFunction p = of(f.accountId(), f.region(), f.name());
    p.executing--;
    p.throttles.increment();
  }

  @Override
  public void rejected(Function f) {
    of(f.accountId(), f.region(), f.name()).executing--;
  }

  /** On the lane's context: each function's executions and queue into its gauges; the gauges of functions gone removed. */
  void refresh() {
    long now = clock.millis();
    Map<FunctionName, AsyncInvocations.QueueState> queues = async.queues();
    Set<FunctionName> present = new HashSet<>();
    for (Function f : functions.all()) {
      FunctionName name = new FunctionName(f.accountId(), f.region(), f.name(), null);
      PerFunction p = of(f.accountId(), f.region(), f.name());
      present.add(name);
      AsyncInvocations.QueueState queue = queues.get(name);
      p.concurrent = Math.max(0, p.executing);
      p.queued = queue == null ? 0 : queue.events();
      p.oldestAgeSeconds = queue == null ? 0 : Math.max(0, now - queue.oldestEnqueuedAt()) / 1000.0;
      p.gauges(true);
    }
    for (Map.Entry<FunctionName, PerFunction> e : byName.entrySet()) {
      if (!present.contains(e.getKey())) e.getValue().gauges(false);
    }
    Map<EventSourceMapping, Long> ages = mappings.iteratorAges();
    Set<String> polled = new HashSet<>();
    for (Map.Entry<EventSourceMapping, Long> e : ages.entrySet()) {
      EventSourceMapping m = e.getKey();
      polled.add(m.uuid());
      PerMapping p = byMapping.computeIfAbsent(m.uuid(), u -> new PerMapping(m));
      p.ageSeconds = e.getValue() / 1000.0;
    }
    for (java.util.Iterator<Map.Entry<String, PerMapping>> it = byMapping.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, PerMapping> e = it.next();
      if (!polled.contains(e.getKey())) {
        registry.remove(e.getValue().gauge);
        it.remove();
      }
    }
  }

  /** A Kinesis stream mapping's iterator age, labelled by the stream and the mapping's function (as Lambda's IteratorAge). */
  private final class PerMapping {
    volatile double ageSeconds;
    final Gauge gauge;

    PerMapping(EventSourceMapping m) {
      String[] source = m.eventSourceArn().split(":", 6);
      // stream/name, or stream/name/consumer/c:123 for a mapping through a consumer.
      String[] resource = source.length == 6 ? source[5].split("/", -1) : new String[0];
      String stream = resource.length >= 2 ? resource[1] : m.eventSourceArn();
      String function = m.functionArn().split(":", -1).length >= 7 ? m.functionArn().split(":", -1)[6] : m.functionArn();
      gauge = Gauge.builder("eventplane_kinesis_mapping_iterator_age_seconds", this, p -> p.ageSeconds)
          .description("Age of the last record an event source mapping read from the stream; 0 when caught up (IteratorAge)")
          .tags(Tags.of("account", source.length == 6 ? source[4] : m.accountId(), "region", source.length == 6 ? source[3] : m.region(),
              "stream", stream, "function", function))
          .strongReference(true).register(registry);
    }
  }

  private PerFunction of(String account, String region, String name) {
    FunctionName key = new FunctionName(account, region, name, null);
    PerFunction p = byName.get(key);
    if (p == null) {
      p = new PerFunction(Tags.of("account", account, "region", region, "function", name));
      byName.put(key, p);
    }
    return p;
  }

  private final class PerFunction {
    final Tags tags;
    final Counter invocations;
    final Counter errors;
    final Counter throttles;
    final Counter coldStarts;
    final Timer duration;
    /** Invocations started and not ended; lane-confined (the gauge reads {@link #concurrent}). */
    int executing;
    volatile long concurrent;
    volatile long queued;
    volatile double oldestAgeSeconds;
    private List<Gauge> gauges;

    PerFunction(Tags tags) {
      this.tags = tags;
      invocations = counter("eventplane_lambda_invocations", "Invocations that ran, successful or not (Invocations)");
      errors = counter("eventplane_lambda_errors", "Invocations that ended in a function error, a timeout or a crash (Errors)");
      throttles = counter("eventplane_lambda_throttles", "Invocations refused for want of concurrency (Throttles)");
      coldStarts = counter("eventplane_lambda_cold_starts", "Instances started for an invocation");
      duration = Timer.builder("eventplane_lambda_duration_seconds")
          .description("Time the function spent on an invocation, from its runtime's taking the event (Duration)").tags(tags)
          .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
              Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
              Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
              Duration.ofSeconds(300), Duration.ofSeconds(900))
          .register(registry);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    void gauges(boolean present) {
      if (present && gauges == null) {
        gauges = List.of(
            gauge("eventplane_lambda_concurrent_executions", "Invocations running now (ConcurrentExecutions)", p -> p.concurrent),
            gauge("eventplane_lambda_async_events", "Events in the function's asynchronous queue, waiting or running", p -> p.queued),
            gauge("eventplane_lambda_async_oldest_event_age_seconds", "Age of the oldest event in the asynchronous queue",
                p -> p.oldestAgeSeconds));
      } else if (!present && gauges != null) {
        for (Gauge g : gauges) registry.remove(g);
        gauges = null;
      }
    }

    private Gauge gauge(String name, String description, java.util.function.ToDoubleFunction<PerFunction> value) {
      return Gauge.builder(name, this, value).description(description).tags(tags).strongReference(true).register(registry);
    }
  }
}
