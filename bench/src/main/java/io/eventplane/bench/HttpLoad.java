package io.eventplane.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * A closed-loop HTTP load: {@code callers} requests in flight at all times, each caller sending its
 * next request when the answer to its last one (body read) has come, spread over the bench's event
 * loops (one HTTP client per loop, keep-alive, no pipelining), so nothing here blocks and the load
 * generator is the same for every endpoint it drives. After a warm-up, a window: requests/s counts
 * the answers that came in it with the expected status; latency percentiles are of those answers.
 * Any other status, or a failure, is an error (counted, the first one kept) and is not retried.
 */
final class HttpLoad implements AutoCloseable {

  /** One request of the load: method, path (with query), headers and body, made per call. */
  record Call(HttpMethod method, String path, MultiMap headers, Buffer body) {}

  /** One measured window. */
  record Result(int callers, long requests, double seconds, Histogram micros, long errors, String firstError,
      CpuShare cpu) {
    double perSecond() {
      return requests / seconds;
    }

    double p50Ms() {
      return micros.getValueAtPercentile(50) / 1000.0;
    }

    double p99Ms() {
      return micros.getValueAtPercentile(99) / 1000.0;
    }
  }

  private final Vertx vertx;
  private final List<Context> contexts;
  private final List<HttpClientAgent> clients = new ArrayList<>();

  HttpLoad(Vertx vertx, int loops, int maxCallers) {
    this.vertx = vertx;
    List<Context> found = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        found.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(loops)).await();
    this.contexts = List.copyOf(found);
    for (int i = 0; i < contexts.size(); i++) {
      clients.add(vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true).setConnectTimeout(2_000),
          new PoolOptions().setHttp1MaxSize(maxCallers / contexts.size() + 1)));
    }
  }

  /**
   * Runs {@code callers} closed loops against 127.0.0.1:{@code port}, {@code warmupSeconds} unmeasured
   * then {@code measureSeconds} measured; {@code call} makes caller i's next request.
   */
  Result run(int port, int callers, int warmupSeconds, int measureSeconds, int expectedStatus, long serverPid,
             IntFunction<Call> call) throws InterruptedException {
    AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Histogram micros = new SynchronizedHistogram(120_000_000L, 3);
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int caller = i;
      int lane = i % contexts.size();
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      contexts.get(lane).runOnContext(v -> new Loop(clients.get(lane), port, expectedStatus, () -> call.apply(caller),
          windowStart, windowEnd, requests, errors, firstError, micros, finished).next());
    }
    Thread.sleep(warmupSeconds * 1000L);
    CpuShare.Sample cpu0 = CpuShare.sample(serverPid);
    long start = System.nanoTime();
    windowStart.set(start);
    Thread.sleep(measureSeconds * 1000L);
    long end = System.nanoTime();
    windowEnd.set(end);
    CpuShare cpu = CpuShare.between(cpu0, CpuShare.sample(serverPid));
    Future.all(done).await();
    return new Result(callers, requests.get(), (end - start) / 1e9, micros, errors.get(), firstError.get(), cpu);
  }

  /** One caller: a request, its answer, the next request, until the window has ended. */
  private static final class Loop {
    private final HttpClientAgent http;
    private final int port;
    private final int expectedStatus;
    private final java.util.function.Supplier<Call> nextCall;
    private final AtomicLong windowStart;
    private final AtomicLong windowEnd;
    private final AtomicLong requests;
    private final AtomicLong errors;
    private final AtomicReference<String> firstError;
    private final Histogram micros;
    private final Promise<Void> finished;

    Loop(HttpClientAgent http, int port, int expectedStatus, java.util.function.Supplier<Call> nextCall,
         AtomicLong windowStart, AtomicLong windowEnd, AtomicLong requests, AtomicLong errors,
         AtomicReference<String> firstError, Histogram micros, Promise<Void> finished) {
      this.http = http;
      this.port = port;
      this.expectedStatus = expectedStatus;
      this.nextCall = nextCall;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.requests = requests;
      this.errors = errors;
      this.firstError = firstError;
      this.micros = micros;
      this.finished = finished;
    }

    void next() {
      long t0 = System.nanoTime();
      if (t0 > windowEnd.get()) {
        finished.complete();
        return;
      }
      Call call = nextCall.get();
      RequestOptions options = new RequestOptions().setMethod(call.method()).setHost("127.0.0.1").setPort(port)
          .setURI(call.path()).setHeaders(call.headers());
      http.request(options)
          .compose(request -> request.send(call.body())
              .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body))))
          .onComplete(ar -> {
            long t1 = System.nanoTime();
            boolean inWindow = t1 >= windowStart.get() && t1 <= windowEnd.get();
            if (ar.succeeded() && ar.result().status() == expectedStatus) {
              if (inWindow) {
                requests.incrementAndGet();
                micros.recordValue(Math.max(1, (t1 - t0) / 1_000));
              }
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, ar.failed() ? String.valueOf(ar.cause())
                  : "status " + ar.result().status() + ": " + ar.result().body());
            }
            next();
          });
    }
  }

  /** An answer: its status and body (read in the response's own callback). */
  private record Answer(int status, Buffer body) {}

  @Override
  public void close() {
    for (HttpClientAgent c : clients) c.close().await();
  }
}
