package io.eventplane.gateway.console;

import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * A queue page's live numbers as server-sent events, for htmx's SSE extension: every
 * {@link #PERIOD_MILLIS} a {@code depth} event (GetQueueAttributes's three counts, which the page
 * shows and charts) and, for a dead-letter queue, a {@code tasks} event (ListMessageMoveTasks with
 * each redrive's progress). One round at a time: the next starts a period after the last answered.
 * Ends when the browser goes away, or with a {@code gone} event when the queue does.
 */
final class QueueLive {
  static final long PERIOD_MILLIS = 2_000;

  private final Vertx vertx;
  private final Caller caller;
  private final HttpServerResponse response;
  private final String queueUrl;
  private final boolean dlq;
  private final Clock clock;
  private boolean closed;
  private long timer = -1;

  private QueueLive(Vertx vertx, Caller caller, HttpServerResponse response, String queueUrl, boolean dlq, Clock clock) {
    this.vertx = vertx;
    this.caller = caller;
    this.response = response;
    this.queueUrl = queueUrl;
    this.dlq = dlq;
    this.clock = clock;
  }

  /** Starts the stream for the queue (the URL already looked up): answers 200 text/event-stream at once. */
  static void start(Vertx vertx, Caller caller, HttpServerRequest request, String queueUrl, boolean dlq, Clock clock) {
    HttpServerResponse response = request.response();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
    QueueLive live = new QueueLive(vertx, caller, response, queueUrl, dlq, clock);
    response.closeHandler(v -> live.close());
    response.exceptionHandler(e -> live.close());
    // A comment first: the browser sees the stream open before the first round's answer.
    response.write(": live\n\n");
    live.round();
  }

  private void round() {
    if (closed) return;
    Future<JsonObject> depth = caller.call(SqsJsonProtocol.BINDING, "GetQueueAttributes", new JsonObject()
        .put("QueueUrl", queueUrl).put("AttributeNames", new JsonArray(QueueListPage.COUNTS)));
    Future<JsonObject> tasks = !dlq ? Future.succeededFuture() : depth.compose(d -> caller.call(SqsJsonProtocol.BINDING,
        "GetQueueAttributes", new JsonObject().put("QueueUrl", queueUrl).put("AttributeNames", new JsonArray().add("QueueArn"))))
        .compose(a -> caller.call(SqsJsonProtocol.BINDING, "ListMessageMoveTasks", new JsonObject()
            .put("SourceArn", a.getJsonObject("Attributes").getString("QueueArn")).put("MaxResults", 10)));
    Future.join(depth, tasks).onComplete(done -> {
      if (closed) return;
      if (depth.failed() && depth.cause() instanceof ConsoleFailure f && f.status() == 404) {
        send("gone", "<p role=\"alert\">The queue is gone.</p>");
        close();
        response.end();
        return;
      }
      if (depth.succeeded()) {
        send("depth", QueueFragments.depth(depth.result().getJsonObject("Attributes", new JsonObject()), clock.millis()));
      }
      if (dlq && tasks.succeeded()) send("tasks", QueueFragments.moveTasks(tasks.result()));
      timer = vertx.setTimer(PERIOD_MILLIS, t -> round());
    });
  }

  /** One event; a fragment is one line, but a data field must not hold a newline whatever it is given. */
  private void send(String event, String data) {
    if (closed) return;
    StringBuilder b = new StringBuilder("event: ").append(event).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) b.append("data: ").append(line).append('\n');
    response.write(b.append('\n').toString());
  }

  private void close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
