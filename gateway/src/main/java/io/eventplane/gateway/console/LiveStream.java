package io.eventplane.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * A page's live part as server-sent events for htmx's SSE extension, for pages other than the
 * queue's ({@link QueueLive}): each round asks the services through the given supplier, writes the
 * events it answers, and runs again a period after it was answered (one round at a time). A round
 * that says it is the last is followed by an {@value #ENDED} event, which the page's
 * {@code sse-close} takes to close the stream; the browser going away ends it too. A round that fails
 * skips its events and the stream goes on.
 */
final class LiveStream {
  /** One server-sent event: its name (the element's {@code sse-swap}) and its one-line HTML. */
  record Event(String name, String data) {}

  /** What a round sends, and whether it is the last (the resource reached an end state). */
  record Round(List<Event> events, boolean last) {}

  /** The event a last round ends with: pages name it in {@code sse-close}. */
  static final String ENDED = "ended";
  private static final long LINGER_MILLIS = 30_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private final long periodMillis;
  private final Supplier<Future<Round>> round;
  private boolean closed;
  private long timer = -1;

  private LiveStream(Vertx vertx, HttpServerResponse response, long periodMillis, Supplier<Future<Round>> round) {
    this.vertx = vertx;
    this.response = response;
    this.periodMillis = periodMillis;
    this.round = round;
  }

  /** Answers 200 text/event-stream at once and runs the first round. */
  static void start(Vertx vertx, HttpServerRequest request, long periodMillis, Supplier<Future<Round>> round) {
    HttpServerResponse response = request.response();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
    LiveStream live = new LiveStream(vertx, response, periodMillis, round);
    response.closeHandler(v -> live.close());
    response.exceptionHandler(e -> live.close());
    response.write(": live\n\n");
    live.next();
  }

  private void next() {
    if (closed) return;
    round.get().onComplete(done -> {
      if (closed) return;
      if (done.succeeded()) {
        for (Event e : done.result().events()) send(e);
        if (done.result().last()) {
          // The page's sse-close="ended" closes the browser's EventSource (an ended response would make
          // it reconnect, and log an error); the response ends a while later for clients that stay.
          send(new Event(ENDED, ""));
          timer = vertx.setTimer(LINGER_MILLIS, t -> {
            close();
            response.end();
          });
          return;
        }
      }
      timer = vertx.setTimer(periodMillis, t -> next());
    });
  }

  private void send(Event event) {
    if (closed) return;
    StringBuilder b = new StringBuilder("event: ").append(event.name()).append('\n');
    for (String line : event.data().split("\r\n|\r|\n", -1)) b.append("data: ").append(line).append('\n');
    response.write(b.append('\n').toString());
  }

  private void close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
