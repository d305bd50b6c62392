package io.eventplane.gateway.console;

import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One replay and its progress: DescribeReplay's state and how far EventLastReplayedTime has come
 * between EventStartTime and EventEndTime, as a progress bar that the live stream ({@link #live})
 * moves every {@link #PERIOD_MILLIS} until the replay ends (COMPLETED, CANCELLED or FAILED: the bar
 * is then full, or stays where it stopped). A replay that is STARTING or RUNNING has a "Cancel
 * replay" form ({@link #cancel}: EventBridge's CancelReplay, which answers CANCELLING; the replay
 * stops after the page of events it is sending and becomes CANCELLED).
 */
final class ReplayPage {
  static final long PERIOD_MILLIS = 1_000;
  static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED");
  /** The states CancelReplay accepts (any other answers IllegalStatusException). */
  static final Set<String> CANCELLABLE = Set.of("STARTING", "RUNNING");
  /** The live stream's event that takes the cancel form away once the replay can no longer be cancelled. */
  static final String CANCEL_EVENT = "cancel";
  /** The bar's scale: thousandths of the window. */
  private static final int SCALE = 1_000;

  private ReplayPage() {}

  /** @param params the query a cancel's redirect carries: {@code cancelled=} (the state answered) or {@code failed=} */
  static Future<String> render(Caller caller, String name, MultiMap params) {
    return describe(caller, name).map(r -> {
      String archive = PageLinks.lastSegment(r.getString("EventSourceArn"));
      StringBuilder b = new StringBuilder();
      String cancelled = params.get("cancelled");
      if (cancelled != null) {
        b.append("<p role=\"status\" class=\"flash\" id=\"flash\">CancelReplay answered ").append(Html.text(cancelled))
            .append(": the replay stops after the events it is sending now.</p>");
      }
      String failed = params.get("failed");
      if (failed != null) b.append("<p role=\"alert\" class=\"error\" id=\"flash\">").append(Html.text(failed)).append("</p>");
      b.append("<p><a href=\"").append(EventPaths.archive(archive)).append("\">Archive ").append(Html.text(archive))
          .append("</a></p>");
      if (r.getString("Description") != null) b.append("<p>").append(Html.text(r.getString("Description"))).append("</p>");
      b.append("<section aria-labelledby=\"progress-h\"><h2 id=\"progress-h\">Progress</h2>");
      // An ended replay has nothing to follow: no stream.
      if (ENDED.contains(r.getString("State"))) {
        b.append("<div id=\"replay-live\">").append(progress(r)).append("</div>");
      } else {
        b.append("<div hx-ext=\"sse\" sse-connect=\"").append(EventPaths.replay(name)).append("/live\" sse-close=\"").append(LiveStream.ENDED).append("\">")
            .append("<div id=\"replay-live\" sse-swap=\"progress\" aria-live=\"polite\">").append(progress(r)).append("</div>");
        // The form stays put while the bar moves (a focused button keeps its focus); the stream replaces it with a line
        // saying so once the replay can no longer be cancelled.
        if (CANCELLABLE.contains(r.getString("State"))) {
          b.append("<div id=\"replay-cancel\" sse-swap=\"").append(CANCEL_EVENT).append("\">").append(cancelForm(caller, name))
              .append("</div>");
        }
        b.append("</div>");
      }
      return b.append("</section>").toString();
    });
  }

  /** A real button (keyboard-reachable, its text its label) posting the session's CSRF token. */
  private static String cancelForm(Caller caller, String name) {
    return "<form method=\"post\" action=\"" + EventPaths.replay(name) + "/cancel\">" + caller.csrfField()
        + "<button type=\"submit\" id=\"cancel-replay\">Cancel replay</button></form>";
  }

  /** CancelReplay: the state EventBridge answers (CANCELLING), or its refusal (IllegalStatusException once ended). */
  static Future<String> cancel(Caller caller, String name) {
    return caller.call(EventBridgeJsonProtocol.BINDING, "CancelReplay", new JsonObject().put("ReplayName", name))
        .map(answer -> answer.getString("State", "CANCELLING"));
  }

  static Future<JsonObject> describe(Caller caller, String name) {
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeReplay", new JsonObject().put("ReplayName", name));
  }

  /** The replay's state, window and a progress bar, as one line of HTML. */
  static String progress(JsonObject r) {
    String state = r.getString("State", "?");
    Long start = Times.millis(r.getValue("EventStartTime"));
    Long end = Times.millis(r.getValue("EventEndTime"));
    Long last = Times.millis(r.getValue("EventLastReplayedTime"));
    int value;
    if ("COMPLETED".equals(state)) value = SCALE;
    else if (start == null || end == null || last == null || end <= start) value = 0;
    else value = (int) Math.max(0, Math.min(SCALE, (last - start) * SCALE / (end - start)));
    StringBuilder b = new StringBuilder("<dl class=\"depth replay\" data-state=\"").append(Html.text(state)).append("\">")
        .append("<div><dt>State</dt><dd id=\"replay-state\">").append(Html.text(state)).append("</dd></div>")
        .append("<div><dt>Window</dt><dd>").append(Html.text(Times.text(r.getValue("EventStartTime")))).append(" to ")
        .append(Html.text(Times.text(r.getValue("EventEndTime")))).append("</dd></div>")
        .append("<div><dt>Last replayed event's time</dt><dd id=\"replay-last\">")
        .append(Html.text(Times.text(r.getValue("EventLastReplayedTime")))).append("</dd></div>")
        .append("<div><dt>Started</dt><dd>").append(Html.text(Times.text(r.getValue("ReplayStartTime")))).append("</dd></div>");
    if (r.getValue("ReplayEndTime") != null) {
      b.append("<div><dt>Ended</dt><dd>").append(Html.text(Times.text(r.getValue("ReplayEndTime")))).append("</dd></div>");
    }
    if (r.getString("StateReason") != null) {
      b.append("<div><dt>Reason</dt><dd>").append(Html.text(r.getString("StateReason"))).append("</dd></div>");
    }
    b.append("</dl><p><label for=\"replay-progress\">Replayed share of the window</label> <progress id=\"replay-progress\" max=\"")
        .append(SCALE).append("\" value=\"").append(value).append("\">").append(value / 10).append("%</progress> <span id=\"replay-percent\">")
        .append(value / 10).append("%</span></p>");
    return b.toString();
  }

  /** The live stream of a replay's progress; 204 (no stream) when the replay is gone or has ended. */
  static void live(Vertx vertx, Caller caller, HttpServerRequest request, String name) {
    describe(caller, name).onComplete(found -> {
      if (found.failed() || ENDED.contains(found.result().getString("State"))) {
        // Nothing to follow: 204 tells an EventSource to stop reconnecting.
        request.response().setStatusCode(204).end();
        return;
      }
      LiveStream.start(vertx, request, PERIOD_MILLIS, () -> describe(caller, name).map(r -> new LiveStream.Round(
          CANCELLABLE.contains(r.getString("State")) ? List.of(new LiveStream.Event("progress", progress(r)))
              : List.of(new LiveStream.Event("progress", progress(r)), new LiveStream.Event(CANCEL_EVENT, "<p id=\"cancel-gone\">"
                  + Html.text(r.getString("State")) + ": the replay can no longer be cancelled.</p>")),
          ENDED.contains(r.getString("State"))))
          .recover(e -> e instanceof ConsoleFailure f && f.status() == 404
              ? Future.succeededFuture(new LiveStream.Round(List.of(new LiveStream.Event("progress",
                  "<p role=\"alert\">The replay is gone.</p>")), true))
              : Future.failedFuture(e)));
    });
  }
}
