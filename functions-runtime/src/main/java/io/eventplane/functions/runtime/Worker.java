package io.eventplane.functions.runtime;

import io.eventplane.common.logs.LogStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of a function: a separate process that speaks the Lambda Runtime API to its own
 * listener on 127.0.0.1 ({@code AWS_LAMBDA_RUNTIME_API}). It asks for work with
 * {@code GET /2018-06-01/runtime/invocation/next}, which waits until {@link #assign} gives it an
 * invocation, and answers with {@code .../response} or {@code .../error}. Everything here runs on
 * the function service's context; the process's output is read by a thread of its own and handed
 * to the context line by line.
 */
final class Worker {
  private static final String BASE = "/2018-06-01/runtime/";
  /** The largest response a function may return (Lambda's synchronous limit, plus its allowance). */
  static final int MAX_RESPONSE = 6_291_556;
  /**
   * How long an invocation's end waits for the reader of the process's output to catch up (it
   * normally has: the wait costs nothing then). Under load the reader can lag by tens of ms.
   */
  private static final int OUTPUT_WAIT_MILLIS = 250;

  /** What the pool hears from its workers. */
  interface Events {
    /** The worker has finished its invocation (or its start) and can take another. */
    void available(Worker worker);

    /** The worker is gone: its process ended or it was stopped. */
    void gone(Worker worker);
  }

  enum State { STARTING, READY, BUSY, DEAD }

  private final Vertx vertx;
  private final Context context;
  private final String id;
  private final Launch launch;
  private final int timeoutSeconds;
  private final Events events;
  private final LogStream logs;
  private TelemetryReader telemetry;
  private final AtomicLong bytesRead = new AtomicLong();
  private volatile boolean readerWaiting;
  private volatile boolean readerDone;
  private long bytesApplied;
  private HttpServer server;
  private Process process;
  private State state = State.STARTING;
  private HttpServerResponse waitingNext;
  private Invocation current;
  private boolean sent;
  /** The output's current line while its newline has not come (LambdaLogger.log adds none). */
  private String unfinishedLine = "";
  /** How much of the unfinished line is already logged, by an invocation that ended meanwhile. */
  private int loggedOfUnfinished;
  private long timer = -1;
  private long spawnedNanos;
  private double initMillis = -1;
  private String exitReason;
  private long lastUsedMillis = System.currentTimeMillis();
  private final long startedMillis = lastUsedMillis;

  Worker(Vertx vertx, Context context, String id, Launch launch, int timeoutSeconds, LogStream logs, Events events) {
    this.vertx = vertx;
    this.context = context;
    this.id = id;
    this.launch = launch;
    this.timeoutSeconds = timeoutSeconds;
    this.logs = logs;
    this.events = events;
  }

  String id() {
    return id;
  }

  State state() {
    return state;
  }

  long lastUsedMillis() {
    return lastUsedMillis;
  }

  /** Whether the instance has served long enough: its credentials must outlive any invocation it takes. */
  boolean servedItsTime(long nowMillis) {
    return nowMillis - startedMillis > FunctionCredentials.SERVES_FOR.toMillis();
  }

  /**
   * Answered its last invocation within {@code withinMillis} and has not asked for the next one
   * yet: the runtime client posts a result, then asks for more, and a caller that invokes again at
   * once can arrive in between. Such an instance takes the invocation when it asks (warm, as on
   * AWS) instead of a new instance being started for it.
   */
  boolean justFinished(long now, long withinMillis) {
    return state == State.BUSY && current == null && waitingNext == null && now - lastUsedMillis <= withinMillis;
  }

  /** Listens for the Runtime API and starts the process; the first invocation may be assigned before it is up. */
  Future<Void> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setMaxInitialLineLength(8192));
    server.requestHandler(this::onRequest);
    return server.listen().compose(s -> {
      java.util.Map<String, String> env = new java.util.HashMap<>(launch.environment());
      env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + s.actualPort());
      spawnedNanos = System.nanoTime();
      return vertx.executeBlocking(() -> {
        ProcessBuilder pb = new ProcessBuilder(launch.command()).directory(launch.taskRoot().toFile())
            .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
      });
    }).map(p -> {
      process = p;
      if (launch.telemetryPipe() != null) {
        telemetry = new TelemetryReader(launch.telemetryPipe(), context, this::record);
        telemetry.start("lambda-telemetry-" + id);
      }
      Thread reader = new Thread(() -> readOutput(p.getInputStream()), "lambda-output-" + id);
      reader.setDaemon(true);
      reader.start();
      p.onExit().thenAccept(done -> context.runOnContext(v -> exited(done.exitValue())));
      return (Void) null;
    }).onFailure(e -> {
      exitReason = "Runtime.InvalidEntrypoint";
      stop();
    });
  }

  /** Gives the worker an invocation: sent now if it waits for one, else when it next asks. */
  void assign(Invocation invocation) {
    current = invocation;
    sent = false;
    lastUsedMillis = System.currentTimeMillis();
    if (state == State.READY) state = State.BUSY;
    if (waitingNext != null) {
      HttpServerResponse r = waitingNext;
      waitingNext = null;
      send(r);
    }
  }

  /** Ends the process and the listener; an invocation in flight fails as a crash would. */
  void stop() {
    if (state == State.DEAD) return;
    state = State.DEAD;
    if (timer >= 0) vertx.cancelTimer(timer);
    if (process != null) process.destroyForcibly();
    if (server != null) server.close();
    if (telemetry != null) {
      TelemetryReader t = telemetry;
      vertx.executeBlocking(() -> {
        t.release();
        return null;
      }, false);
    }
    Invocation in = current;
    current = null;
    if (in != null && !in.done()) {
      finishLog(in);
      in.fail("Runtime.ExitError", "RequestId: " + in.requestId() + " Error: Runtime exited"
          + (exitReason == null ? " without providing a reason" : " with error: " + exitReason));
    }
    logs.close();
    events.gone(this);
  }

  private void onRequest(HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith(BASE)) {
      request.response().setStatusCode(404).end();
      return;
    }
    String rest = path.substring(BASE.length());
    if (rest.equals("invocation/next") && request.method().name().equals("GET")) {
      onNext(request.response());
    } else if (rest.equals("init/error")) {
      readBody(request).onSuccess(body -> onInitError(request, body));
    } else if (rest.startsWith("invocation/") && rest.endsWith("/response")) {
      String requestId = rest.substring("invocation/".length(), rest.length() - "/response".length());
      readBody(request).onSuccess(body -> onResult(request, requestId, body, null));
    } else if (rest.startsWith("invocation/") && rest.endsWith("/error")) {
      String requestId = rest.substring("invocation/".length(), rest.length() - "/error".length());
      readBody(request).onSuccess(body -> onResult(request, requestId, body, InvocationResult.UNHANDLED));
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private Future<Buffer> readBody(HttpServerRequest request) {
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_RESPONSE) tooLarge[0] = true;
      else body.appendBuffer(chunk);
    });
    return request.end().compose(v -> {
      if (tooLarge[0] && current != null && !current.done()) {
        String msg = "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE + " bytes).";
        Invocation in = current;
        finishLog(in);
        in.fail("Function.ResponseSizeTooLarge", msg);
        respond(request.response(), 413, "{\"errorMessage\":\"" + msg + "\",\"errorType\":\"RequestEntityTooLarge\"}");
        return Future.failedFuture("too large");
      }
      return Future.succeededFuture(body);
    });
  }

  private void onNext(HttpServerResponse response) {
    if (state == State.DEAD) {
      response.setStatusCode(500).end();
      return;
    }
    if (state == State.STARTING) {
      initMillis = (System.nanoTime() - spawnedNanos) / 1e6;
    }
    if (current != null && !sent) {
      state = State.BUSY;
      send(response);
      return;
    }
    waitingNext = response;
    // The previous invocation is answered but still finishing (its output being read): the worker
    // becomes available when that is done, not before, or a second invocation could replace it.
    if (current != null) return;
    if (state == State.STARTING || state == State.BUSY) {
      state = State.READY;
      events.available(this);
    }
  }

  private void send(HttpServerResponse response) {
    Invocation in = current;
    sent = true;
    state = State.BUSY;
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    in.started(System.nanoTime(), deadline);
    in.log("START RequestId: " + in.requestId() + " Version: " + launch.environment().get("AWS_LAMBDA_FUNCTION_VERSION"));
    logs.write("START RequestId: " + in.requestId() + " Version: " + launch.environment().get("AWS_LAMBDA_FUNCTION_VERSION"));
    timer = vertx.setTimer(timeoutSeconds * 1000L, t -> timedOut(in));
    MultiMap h = response.headers();
    h.set("Content-Type", "application/json");
    h.set("Lambda-Runtime-Aws-Request-Id", in.requestId());
    h.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
    h.set("Lambda-Runtime-Invoked-Function-Arn", launch.functionArn());
    h.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
        + in.requestId().replace("-", "").substring(0, 24) + ";Parent=0000000000000000;Sampled=0");
    if (in.clientContext() != null) {
      h.set("Lambda-Runtime-Client-Context",
          new String(java.util.Base64.getDecoder().decode(in.clientContext()), StandardCharsets.UTF_8));
    }
    response.end(Buffer.buffer(in.payload()));
  }

  private void onResult(HttpServerRequest request, String requestId, Buffer body, String functionError) {
    Invocation in = current;
    if (in == null || !sent || !in.requestId().equals(requestId) || in.done()) {
      respond(request.response(), 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
      return;
    }
    respond(request.response(), 202, "{\"status\":\"OK\"}");
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    whenOutputRead(OUTPUT_WAIT_MILLIS, () -> {
      finishLog(in);
      in.complete(body.getBytes(), functionError);
      if (current == in) current = null;
      lastUsedMillis = System.currentTimeMillis();
      // Available once the process asks for more work; if it already has, now.
      if (state == State.BUSY && current == null && waitingNext != null) {
        state = State.READY;
        events.available(this);
      }
    });
  }

  private void onInitError(HttpServerRequest request, Buffer body) {
    respond(request.response(), 202, "{\"status\":\"OK\"}");
    Invocation in = current;
    whenOutputRead(OUTPUT_WAIT_MILLIS, () -> {
      if (in != null && !in.done()) {
        finishLog(in);
        in.complete(body.getBytes(), InvocationResult.UNHANDLED);
        current = null;
      }
      exitReason = "init error";
      stop();
    });
  }

  private void timedOut(Invocation in) {
    timer = -1;
    if (in.done()) return;
    String seconds = String.format(java.util.Locale.ROOT, "%.2f", (double) timeoutSeconds);
    String line = java.time.Instant.now() + " " + in.requestId() + " Task timed out after " + seconds + " seconds";
    in.log(line);
    logs.write(line);
    finishLog(in);
    in.fail("Sandbox.Timedout", "RequestId: " + in.requestId() + " Error: Task timed out after " + seconds + " seconds");
    current = null;
    exitReason = "timeout";
    stop();
  }

  private void exited(int status) {
    if (state == State.DEAD) return;
    exitReason = status > 128 ? "signal: " + (status - 128) : "exit status " + status;
    whenOutputRead(OUTPUT_WAIT_MILLIS, this::stop);
  }

  private void finishLog(Invocation in) {
    if (unfinishedLine.length() > loggedOfUnfinished) {
      // What the invocation wrote without a newline yet still belongs to it.
      output(unfinishedLine.substring(loggedOfUnfinished));
      loggedOfUnfinished = unfinishedLine.length();
    }
    double millis = in.startedNanos() == 0 ? 0 : (System.nanoTime() - in.startedNanos()) / 1e6;
    String end = "END RequestId: " + in.requestId();
    StringBuilder report = new StringBuilder("REPORT RequestId: ").append(in.requestId())
        .append("\tDuration: ").append(String.format(java.util.Locale.ROOT, "%.2f", millis)).append(" ms")
        .append("\tBilled Duration: ").append((long) Math.ceil(millis)).append(" ms")
        .append("\tMemory Size: ").append(launch.environment().get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")).append(" MB");
    if (initMillis >= 0) {
      report.append("\tInit Duration: ").append(String.format(java.util.Locale.ROOT, "%.2f", initMillis)).append(" ms");
      initMillis = -1;
    }
    in.log(end);
    in.log(report.toString());
    logs.write(end);
    logs.write(report.toString());
  }

  private static void respond(HttpServerResponse response, int status, String json) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
  }

  /**
   * Runs {@code then} once the output the process wrote before this moment has been read, so that
   * what a handler logged before answering is in its invocation's log; gives up after
   * {@code maxMillis}.
   */
  private void whenOutputRead(int maxMillis, Runnable then) {
    if (outputDrained() || maxMillis <= 0) {
      then.run();
      return;
    }
    vertx.setTimer(1, t -> whenOutputRead(maxMillis - 1, then));
  }

  /**
   * True when the reader waits in read() (or reached the end) and everything it read has been
   * applied. Output written before a Runtime API call wakes the reader before that call's bytes
   * reach this context, so in practice this holds only once that output is in the log; the stream
   * itself is not asked (its available() would wait for the reader's lock).
   */
  private boolean outputDrained() {
    if (process == null) return true;
    return (readerWaiting || readerDone) && bytesRead.get() == bytesApplied && (telemetry == null || telemetry.drained());
  }

  private void readOutput(InputStream in) {
    byte[] buf = new byte[8192];
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    try {
      while (true) {
        readerWaiting = true;
        int n = in.read(buf);
        if (n > 0) bytesRead.addAndGet(n);
        readerWaiting = false;
        if (n <= 0) break;
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else if (line.size() < 262_144) {
            line.write(buf[i]);
          }
        }
        int count = n;
        String unfinished = line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : "";
        context.runOnContext(v -> {
          for (String l : lines) {
            String rest = l.substring(Math.min(loggedOfUnfinished, l.length()));
            loggedOfUnfinished = 0;
            if (!rest.isEmpty() || l.isEmpty()) output(rest);
          }
          unfinishedLine = unfinished;
          if (current == null && unfinishedLine.length() > loggedOfUnfinished) {
            // Between invocations nobody will close the line: keep what came.
            output(unfinishedLine.substring(loggedOfUnfinished));
            loggedOfUnfinished = unfinishedLine.length();
          }
          bytesApplied += count;
        });
      }
    } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
      // the process ended, or the node is shutting down
      readerDone = true;
      return;
    }
    readerDone = true;
    if (line.size() > 0) {
      String last = line.toString(StandardCharsets.UTF_8);
      context.runOnContext(v -> {
        String rest = last.substring(Math.min(loggedOfUnfinished, last.length()));
        loggedOfUnfinished = 0;
        unfinishedLine = "";
        if (!rest.isEmpty()) output(rest);
      });
    }
  }

  private void output(String line) {
    Invocation in = current;
    if (in != null && !in.done()) in.log(line);
    logs.write(line);
  }

  /** A framed record (one LambdaLogger call): one event, whatever newlines it holds. */
  private void record(long timestampMillis, String message) {
    String text = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
    Invocation in = current;
    if (in != null && !in.done()) in.log(text);
    logs.write(timestampMillis, text);
  }

  @Override
  public String toString() {
    return "worker " + id + " (" + state + ")";
  }
}
