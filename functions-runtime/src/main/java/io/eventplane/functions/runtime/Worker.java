package io.eventplane.functions.runtime;

import io.eventplane.common.logs.LogStream;
import io.eventplane.functions.bootstrap.EndMarker;
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
import java.util.function.UnaryOperator;

/**
 * One instance of a function: a separate process that speaks the Lambda Runtime API to its own
 * listener on 127.0.0.1 ({@code AWS_LAMBDA_RUNTIME_API}). It asks for work with
 * {@code GET /2018-06-01/runtime/invocation/next}, which waits until {@link #assign} gives it an
 * invocation, and answers with {@code .../response} or {@code .../error}. Everything here runs on
 * the function service's context; the process's output is read by a thread of its own and handed
 * to the context line by line.
 *
 * <p>An answered invocation ends (END and REPORT, its result to the caller) once its output is in
 * its log. A java instance (Eventplane's bootstrap) marks the end of each invocation's output with
 * an {@link EndMarker} on standard output and on the telemetry descriptor: the end waits until both
 * readers have passed it, however far they lag (at most {@value #MARKER_WAIT_MILLIS} ms), and the
 * marker is never logged. Other runtimes' output has no such mark: the end waits until the readers
 * look idle, at most {@value #OUTPUT_WAIT_MILLIS} ms.
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
  /** How long an invocation's end waits for its end marker before it ends with what was read. */
  static final int MARKER_WAIT_MILLIS = 10_000;

  /** A line of output; {@code endOf} is the request id of the end marker that closed it, or null. */
  private record OutputLine(String text, String endOf) {}

  /** An answered invocation waiting for its end marker: what ends it, and the timer that caps the wait. */
  private record Ending(String requestId, Runnable end, long capTimer) {}

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
  private final UnaryOperator<InputStream> outputTap;
  /** The request id of the last end marker each reader passed, and whether each reached its end. */
  private String outputMarked;
  private String telemetryMarked;
  private boolean outputEnded;
  private boolean telemetryEnded;
  private Ending ending;
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
    this(vertx, context, id, launch, timeoutSeconds, logs, events, UnaryOperator.identity());
  }

  /** @param outputTap wraps the process's output before the reader reads it (tests slow the reader down with it) */
  Worker(Vertx vertx, Context context, String id, Launch launch, int timeoutSeconds, LogStream logs, Events events,
      UnaryOperator<InputStream> outputTap) {
    this.outputTap = outputTap;
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
        telemetry = new TelemetryReader(launch.telemetryPipe(), context, this::record, () -> {
          telemetryEnded = true;
          endIfMarked();
        });
        telemetry.start("lambda-telemetry-" + id);
      }
      Thread reader = new Thread(() -> readOutput(outputTap.apply(p.getInputStream())), "lambda-output-" + id);
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
    // Answered before the process ended: the answer stands, with what of its output was read.
    if (ending != null) endNow();
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
    Runnable end = () -> {
      finishLog(in);
      in.complete(body.getBytes(), functionError);
      if (current == in) current = null;
      lastUsedMillis = System.currentTimeMillis();
      // Available once the process asks for more work; if it already has, now.
      if (state == State.BUSY && current == null && waitingNext != null) {
        state = State.READY;
        events.available(this);
      }
    };
    if (launch.marksInvocationEnds()) whenMarked(requestId, end);
    else whenOutputRead(OUTPUT_WAIT_MILLIS, end);
  }

  /**
   * Runs {@code end} once both readers have passed the end marker of {@code requestId} (or reached
   * the end of their stream), or after {@value #MARKER_WAIT_MILLIS} ms with what was read by then.
   * Not a wait: the readers' progress on the context calls {@link #endIfMarked}.
   */
  private void whenMarked(String requestId, Runnable end) {
    if (marked(requestId)) {
      end.run();
      return;
    }
    long cap = vertx.setTimer(MARKER_WAIT_MILLIS, t -> {
      if (ending != null && ending.capTimer() == t) {
        ending = null;
        end.run();
      }
    });
    ending = new Ending(requestId, end, cap);
  }

  private boolean marked(String requestId) {
    return (outputEnded || requestId.equals(outputMarked))
        && (telemetry == null || telemetryEnded || requestId.equals(telemetryMarked));
  }

  private void endIfMarked() {
    if (ending != null && marked(ending.requestId())) endNow();
  }

  /** Ends the invocation waiting for its marker now, its cap timer cancelled. */
  private void endNow() {
    Ending e = ending;
    ending = null;
    vertx.cancelTimer(e.capTimer());
    e.end().run();
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
        java.util.List<OutputLine> lines = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines.add(outputLine(line.toString(StandardCharsets.UTF_8)));
            line.reset();
          } else if (line.size() < 262_144) {
            line.write(buf[i]);
          }
        }
        int count = n;
        String partial = line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : "";
        // The beginning of an end marker is not output: the rest of the marker closes the line.
        String unfinished = partial.substring(0, EndMarker.outputIn(partial));
        context.runOnContext(v -> {
          for (OutputLine ol : lines) {
            String l = ol.text();
            String rest = l.substring(Math.min(loggedOfUnfinished, l.length()));
            loggedOfUnfinished = 0;
            // A marker closes what was written before it without a newline; an empty line is an event.
            if (!rest.isEmpty() || (l.isEmpty() && ol.endOf() == null)) output(rest);
            if (ol.endOf() != null) outputMarked = ol.endOf();
          }
          unfinishedLine = unfinished;
          if (current == null && unfinishedLine.length() > loggedOfUnfinished) {
            // Between invocations nobody will close the line: keep what came.
            output(unfinishedLine.substring(loggedOfUnfinished));
            loggedOfUnfinished = unfinishedLine.length();
          }
          bytesApplied += count;
          endIfMarked();
        });
      }
    } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
      // the process ended, or the node is shutting down
      readerDone = true;
      outputEnd();
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
    outputEnd();
  }

  /** Tells the context that standard output has ended, after everything read from it. */
  private void outputEnd() {
    try {
      context.runOnContext(v -> {
        outputEnded = true;
        endIfMarked();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the node is shutting down
    }
  }

  private static OutputLine outputLine(String line) {
    int marker = EndMarker.indexIn(line);
    if (marker < 0) return new OutputLine(line, null);
    return new OutputLine(line.substring(0, marker), EndMarker.requestIdAt(line, marker));
  }

  private void output(String line) {
    Invocation in = current;
    if (in != null && !in.done()) in.log(line);
    logs.write(line);
  }

  /** A framed record (one LambdaLogger call): one event, whatever newlines it holds. */
  private void record(long timestampMillis, String message) {
    if (message.startsWith(EndMarker.PREFIX)) {
      telemetryMarked = EndMarker.requestIdAt(message, 0);
      endIfMarked();
      return;
    }
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
