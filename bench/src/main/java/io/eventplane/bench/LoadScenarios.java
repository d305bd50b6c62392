package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The load shapes, all driven from the bench JVM's event loops against one queue or several
 * (client i on queue i mod n).
 *
 * <p>Closed loop: N clients, each an async loop with exactly one request outstanding, run
 * send -> receive -> delete cycles (or sends only). A message counts once its delete succeeded.
 * Open loop: SendMessage paced to a fixed rate (wrk2 style, see {@link #fixedRateSend}), latency
 * taken from the actual send and also from the intended send time, which adds any backlog of a
 * server that can't keep up (coordinated omission) and the generator's own lag.
 *
 * <p>Each scenario warms up, then measures for a fixed window that also ends early once
 * {@code maxMessages} messages were counted; only calls completing inside the window count.
 */
final class LoadScenarios {

  /** What one scenario measured. */
  record Result(String scenario, double messagesPerSecond, long messages, double seconds,
                long errors, long emptyReceives, String firstError,
                Map<String, Latencies.OpStats> latencies, double offeredRate, CpuShare cpu,
                ThreadCpu.Breakdown threads) {}

  static final String FROM_INTENDED = "SendMessage (from intended send time)";
  private static final int MAX_ERRORS = 200;

  private final Vertx vertx;
  private final List<Lane> lanes;
  private final Duration warmup;
  private final Duration measure;
  private final long maxMessages;
  private final long serverPid;
  private final ThreadCpu threads;

  /** Client loops are spread over {@code lanes} (one per bench event loop) round-robin. */
  LoadScenarios(Vertx vertx, List<Lane> lanes, Duration warmup, Duration measure,
                long maxMessages, long serverPid) {
    this(vertx, lanes, warmup, measure, maxMessages, serverPid, null);
  }

  /** As above; {@code threads}, if not null, also measures the server's CPU per thread in each window. */
  LoadScenarios(Vertx vertx, List<Lane> lanes, Duration warmup, Duration measure,
                long maxMessages, long serverPid, ThreadCpu threads) {
    this.threads = threads;
    this.vertx = vertx;
    this.lanes = lanes;
    this.serverPid = serverPid;
    this.warmup = warmup;
    this.measure = measure;
    this.maxMessages = maxMessages;
  }

  /** Send -> receive -> delete, batch 1 (single calls) or 10 (the batch calls). */
  Result cycles(String scenario, String queueUrl, String body, int batch, int clients)
      throws InterruptedException {
    return cycles(scenario, List.of(queueUrl), body, batch, clients);
  }

  /** As above, client i on queue {@code i % queues.size()}. */
  Result cycles(String scenario, List<String> queueUrls, String body, int batch, int clients)
      throws InterruptedException {
    return closedLoop(scenario, clients, client -> {
      String queueUrl = queueUrls.get(client % queueUrls.size());
      Buffer send = batch == 1 ? SqsCalls.sendBody(queueUrl, body)
          : SqsCalls.sendBatchBody(queueUrl, body, batch);
      Buffer receive = SqsCalls.receiveBody(queueUrl, batch);
      return (w, calls) -> batch == 1
          ? unbatchedCycle(w, calls, queueUrl, send, receive)
          : batchedCycle(w, calls, queueUrl, send, receive);
    });
  }

  /** SendMessage only, closed loop: the peak send rate. */
  Result sendOnly(String scenario, String queueUrl, String body, int clients)
      throws InterruptedException {
    return sendOnly(scenario, List.of(queueUrl), body, 1, clients);
  }

  /**
   * Sends only, closed loop, client i on queue {@code i % queues.size()}: SendMessage when
   * {@code batch} is 1, else SendMessageBatch of {@code batch} (each counts its messages).
   */
  Result sendOnly(String scenario, List<String> queueUrls, String body, int batch, int clients)
      throws InterruptedException {
    return closedLoop(scenario, clients, client -> {
      String queueUrl = queueUrls.get(client % queueUrls.size());
      if (batch == 1) {
        Buffer send = SqsCalls.sendBody(queueUrl, body);
        return (w, calls) -> w.timed(calls, "SendMessage", send).map(1);
      }
      Buffer send = SqsCalls.sendBatchBody(queueUrl, body, batch);
      return (w, calls) -> w.timed(calls, "SendMessageBatch", send).compose(sent -> {
        int failed = SqsCalls.failedEntries(sent);
        return failed == 0 ? Future.succeededFuture(batch)
            : Future.failedFuture("SendMessageBatch: " + failed + " entries failed: " + sent);
      });
    });
  }

  /**
   * SendMessage at {@code rate} per second, open loop, paced per connection as wrk2 does: each
   * of {@code connections} senders has its own schedule at rate/connections; a sender whose
   * answer came late sends the next one at once, and its latency from the intended time shows
   * the backlog. One 1 ms ticker per lane starts the sends that are due: a timer per request
   * would cost a wake-up each, which on this 2-vCPU VM is most of the generator's CPU.
   */
  Result fixedRateSend(String scenario, String queueUrl, String body, double rate, int connections)
      throws InterruptedException {
    Buffer send = SqsCalls.sendBody(queueUrl, body);
    Window w = new Window();
    double interval = connections * 1e9 / rate;
    long first = System.nanoTime() + 5_000_000;
    List<Future<Void>> done = new ArrayList<>();
    for (int l = 0; l < lanes.size(); l++) {
      Lane lane = lanes.get(l);
      List<Sender> senders = new ArrayList<>();
      for (int i = l; i < connections; i += lanes.size()) {
        senders.add(new Sender(first + (long) (i * 1e9 / rate), interval));
      }
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      lane.context().runOnContext(v -> vertx.setPeriodic(1, timer -> {
        if (!w.running()) {
          vertx.cancelTimer(timer);
          finished.complete();
          return;
        }
        long now = System.nanoTime();
        for (Sender sender : senders) {
          if (!sender.busy && sender.intended() <= now) {
            sender.send(w, lane.calls(), send);
          }
        }
      }));
    }
    w.run();
    awaitStopped(scenario, Future.join(done));
    // Sends still in flight complete within their timeouts; their results aren't counted.
    return w.result(scenario, rate);
  }

  /** One open-loop connection's schedule; touched only on its lane's event loop. */
  private static final class Sender {
    private final long first;
    private final double interval;
    private long n;
    boolean busy;

    Sender(long first, double interval) {
      this.first = first;
      this.interval = interval;
    }

    long intended() {
      return first + (long) (n * interval);
    }

    void send(Window w, SqsCalls calls, Buffer body) {
      long intended = intended();
      long actual = System.nanoTime();
      boolean counted = w.measuring();
      busy = true;
      calls.call("SendMessage", body).onComplete(ar -> {
        long end = System.nanoTime();
        busy = false;
        n++;
        if (ar.failed()) {
          w.failed(ar.cause());
        } else if (counted) {
          w.latencies.record("SendMessage", end - actual);
          w.latencies.record(FROM_INTENDED, end - Math.min(intended, actual));
          w.messages.increment();
        }
        if (w.running() && intended() <= end) {
          send(w, calls, body); // behind schedule: no waiting for the next tick
        }
      });
    }
  }

  /** Every call has a connect and an idle timeout, so loops end well within a minute. */
  private static void awaitStopped(String scenario, Future<?> stopped) {
    try {
      stopped.await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(scenario + ": client loops still busy 60 s after the window");
    }
  }

  private Future<Integer> unbatchedCycle(Window w, SqsCalls calls, String queueUrl, Buffer send,
                                         Buffer receive) {
    return w.timed(calls, "SendMessage", send)
        .compose(sent -> w.timed(calls, "ReceiveMessage", receive))
        .compose(received -> {
          List<String> handles = SqsCalls.receiptHandles(received);
          if (handles.isEmpty()) {
            w.emptyReceives.increment();
            return Future.succeededFuture(0);
          }
          return w.timed(calls, "DeleteMessage", SqsCalls.deleteBody(queueUrl, handles.get(0)))
              .map(1);
        });
  }

  private Future<Integer> batchedCycle(Window w, SqsCalls calls, String queueUrl, Buffer send,
                                       Buffer receive) {
    return w.timed(calls, "SendMessageBatch", send)
        .compose(sent -> {
          int failed = SqsCalls.failedEntries(sent);
          return failed == 0 ? w.timed(calls, "ReceiveMessage (max 10)", receive)
              : Future.failedFuture("SendMessageBatch: " + failed + " entries failed: " + sent);
        })
        .compose(received -> {
          List<String> handles = SqsCalls.receiptHandles(received);
          if (handles.isEmpty()) {
            w.emptyReceives.increment();
            return Future.succeededFuture(0);
          }
          Buffer delete = SqsCalls.deleteBatchBody(queueUrl, handles);
          return w.timed(calls, "DeleteMessageBatch", delete).compose(deleted -> {
            int failed = SqsCalls.failedEntries(deleted);
            return failed == 0 ? Future.succeededFuture(handles.size())
                : Future.failedFuture("DeleteMessageBatch: " + failed + " entries failed: " + deleted);
          });
        });
  }

  /** One step of a client loop: resolves to the number of messages it completed. */
  private interface Step {
    Future<Integer> run(Window w, SqsCalls calls);
  }

  /** {@code stepOf} gives client i its step (its queue). */
  private Result closedLoop(String scenario, int clients, IntFunction<Step> stepOf) throws InterruptedException {
    Window w = new Window();
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      Step step = stepOf.apply(i);
      Lane lane = lanes.get(i % lanes.size());
      lane.context().runOnContext(v -> loop(w, lane.calls(), step, finished));
    }
    w.run();
    awaitStopped(scenario, Future.join(done));
    return w.result(scenario, 0);
  }

  private void loop(Window w, SqsCalls calls, Step step, Promise<Void> finished) {
    if (!w.running()) {
      finished.complete();
      return;
    }
    step.run(w, calls).onComplete(ar -> {
      if (ar.succeeded()) {
        if (w.measuring()) {
          w.messages.add(ar.result());
        }
        loop(w, calls, step, finished);
      } else {
        w.failed(ar.cause());
        vertx.setTimer(10, t -> loop(w, calls, step, finished)); // don't spin on a failing server
      }
    });
  }

  /** The warm-up / measure / stop phases of one scenario and what was counted in them. */
  private final class Window {
    final Latencies latencies = new Latencies();
    final LongAdder messages = new LongAdder();
    final LongAdder emptyReceives = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile boolean measuring;
    private long measuredNanos;
    private CpuShare cpu;
    private ThreadCpu.Breakdown perThread = ThreadCpu.Breakdown.NONE;

    boolean running() {
      return running;
    }

    boolean measuring() {
      return measuring;
    }

    Future<Buffer> timed(SqsCalls calls, String op, Buffer body) {
      long start = System.nanoTime();
      return calls.call(op.startsWith("ReceiveMessage") ? "ReceiveMessage" : op, body)
          .onSuccess(answer -> {
            if (measuring) {
              latencies.record(op, System.nanoTime() - start);
            }
          });
    }

    void failed(Throwable cause) {
      errors.increment();
      firstError.compareAndSet(null, String.valueOf(cause.getMessage()));
      if (errors.sum() > MAX_ERRORS) {
        running = false;
        measuring = false;
      }
    }

    /** Blocks the calling (non event-loop) thread through warm-up and the measurement window. */
    void run() throws InterruptedException {
      sleepWhileRunning(warmup.toNanos(), Long.MAX_VALUE);
      messages.reset();
      emptyReceives.reset();
      ThreadCpu.Sample threadStart = threads == null ? null : threads.sample();
      CpuShare.Sample cpuStart = CpuShare.sample(serverPid);
      long start = System.nanoTime();
      measuring = running;
      sleepWhileRunning(measure.toNanos(), maxMessages);
      measuring = false;
      measuredNanos = System.nanoTime() - start;
      cpu = CpuShare.between(cpuStart, CpuShare.sample(serverPid));
      ThreadCpu.Sample threadEnd = threads == null ? null : threads.sample();
      running = false;
      if (threads != null) {
        // After the window: naming the threads may take a thread dump of the server.
        perThread = threads.between(threadStart, threadEnd, measuredNanos);
      }
    }

    private void sleepWhileRunning(long nanos, long messageLimit) throws InterruptedException {
      long end = System.nanoTime() + nanos;
      while (running && System.nanoTime() < end && messages.sum() < messageLimit) {
        Thread.sleep(20);
      }
    }

    Result result(String scenario, double offeredRate) {
      double seconds = measuredNanos / 1e9;
      long count = messages.sum();
      return new Result(scenario, seconds > 0 ? count / seconds : 0, count, seconds,
          errors.sum(), emptyReceives.sum(), firstError.get(), latencies.summary(), offeredRate,
          cpu, perThread);
    }
  }
}
