package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's API metrics: each answered client call counted by service (its signing name),
 * operation and outcome (the AWS error code, or {@code ok}), and its latency from the gateway's
 * call to the service's reply, by service and operation. Meters are looked up once per (service,
 * operation) and kept, so recording a call is two map reads, an increment and a histogram sample.
 *
 * <p>Operation names come from the wire: past {@link #MAX_OPERATIONS} distinct ones the rest count
 * as {@code other}, so that a client sending made-up operations cannot grow the series without bound.
 */
final class ApiMetrics {
  static final String REQUESTS = "eventplane_api_requests";
  static final String DURATION = "eventplane_api_request_duration";
  static final int MAX_OPERATIONS = 1_000;
  private static final String OTHER = "other";

  private final MeterRegistry registry;
  private final Map<String, Map<String, Operation>> byService = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger operations = new java.util.concurrent.atomic.AtomicInteger();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A call that took {@code nanos} from the gateway's request to the service's reply. */
  void answered(String service, String operation, ApiReply reply, long nanos) {
    Operation meters = operation(service, operation);
    meters.latency.record(nanos, TimeUnit.NANOSECONDS);
    if (reply.succeeded()) meters.ok.increment();
    else meters.outcome(reply.error().code()).increment();
  }

  private Operation operation(String service, String operation) {
    Map<String, Operation> ops = byService.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
    Operation meters = ops.get(operation);
    if (meters != null) return meters;
    String name = operations.get() < MAX_OPERATIONS ? operation : OTHER;
    return ops.computeIfAbsent(name, op -> {
      operations.incrementAndGet();
      return new Operation(service, op);
    });
  }

  /** One operation's meters; error outcomes are added as they occur (AWS's codes: a bounded set). */
  private final class Operation {
    private final String service;
    private final String operation;
    private final Timer latency;
    private final Counter ok;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    Operation(String service, String operation) {
      this.service = service;
      this.operation = operation;
      this.latency = Timer.builder(DURATION)
          .description("Time from the gateway's call of a service to its reply, per client call")
          .tags("service", service, "operation", operation)
          .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
              Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
              Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20))
          .register(registry);
      this.ok = counter("ok");
    }

    Counter outcome(String code) {
      return errors.computeIfAbsent(code, this::counter);
    }

    private Counter counter(String outcome) {
      return Counter.builder(REQUESTS)
          .description("Client API calls answered, by outcome: ok or the AWS error code")
          .tags("service", service, "operation", operation, "outcome", outcome)
          .register(registry);
    }
  }
}
