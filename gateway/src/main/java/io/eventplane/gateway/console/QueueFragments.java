package io.eventplane.gateway.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The parts of a queue's page that the live stream replaces: its three counts (which the depth chart
 * reads from the fragment's data attributes), a DLQ's move tasks with their progress, and the
 * peeked messages. Each is one line of HTML (a server-sent event's data).
 */
final class QueueFragments {
  private QueueFragments() {}

  /** Visible, in flight and delayed, at {@code epochMillis}. */
  static String depth(JsonObject attributes, long epochMillis) {
    String visible = attributes.getString("ApproximateNumberOfMessages", "0");
    String inFlight = attributes.getString("ApproximateNumberOfMessagesNotVisible", "0");
    String delayed = attributes.getString("ApproximateNumberOfMessagesDelayed", "0");
    return "<dl class=\"depth\" data-time=\"" + epochMillis / 1000.0 + "\" data-visible=\"" + Html.text(visible)
        + "\" data-inflight=\"" + Html.text(inFlight) + "\" data-delayed=\"" + Html.text(delayed) + "\">"
        + "<div><dt>Visible</dt><dd id=\"count-visible\">" + Html.text(visible) + "</dd></div>"
        + "<div><dt>In flight</dt><dd id=\"count-inflight\">" + Html.text(inFlight) + "</dd></div>"
        + "<div><dt>Delayed</dt><dd id=\"count-delayed\">" + Html.text(delayed) + "</dd></div></dl>";
  }

  /** ListMessageMoveTasks's answer: each task's status and a progress bar. */
  static String moveTasks(JsonObject listed) {
    if (listed == null) return "<p id=\"move-tasks-denied\">Your identity may not list this queue's redrives (sqs:ListMessageMoveTasks).</p>";
    JsonArray results = listed.getJsonArray("Results", new JsonArray());
    if (results.isEmpty()) return "<p id=\"move-tasks-none\">No redrive has run from this queue.</p>";
    StringBuilder b = new StringBuilder("<table id=\"move-tasks\"><caption>Redrives (message move tasks), newest first</caption>"
        + "<thead><tr><th scope=\"col\">Started</th><th scope=\"col\">Status</th><th scope=\"col\">Destination</th>"
        + "<th scope=\"col\">Progress</th></tr></thead><tbody>");
    for (Object o : results) {
      JsonObject t = (JsonObject) o;
      long moved = t.getLong("ApproximateNumberOfMessagesMoved", 0L);
      Long toMove = t.getLong("ApproximateNumberOfMessagesToMove");
      long total = Math.max(toMove == null ? moved : toMove, moved);
      String destination = t.getString("DestinationArn", "its source queues");
      Long started = t.getLong("StartedTimestamp");
      b.append("<tr><th scope=\"row\">").append(started == null ? "-" : Html.text(Instant.ofEpochMilli(started)))
          .append("</th><td class=\"task-status\">").append(Html.text(t.getString("Status")));
      if (t.getString("FailureReason") != null) b.append(": ").append(Html.text(t.getString("FailureReason")));
      b.append("</td><td>").append(Html.text(destination)).append("</td><td>")
          .append("<progress max=\"").append(Math.max(total, 1)).append("\" value=\"").append(total == 0 ? 1 : moved)
          .append("\" aria-label=\"Messages moved\"></progress> <span class=\"task-moved\">").append(moved)
          .append("</span> of ").append(total).append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  /** eventplane:PeekMessages's answer: the messages as they sit in the queue, nothing received. */
  static String peeked(JsonObject out) {
    JsonArray messages = out.getJsonArray("Messages", new JsonArray());
    if (messages.isEmpty()) return "<p id=\"peek-none\">The queue holds no messages.</p>";
    StringBuilder b = new StringBuilder("<table id=\"peek\"><caption>").append(messages.size())
        .append(" oldest messages (peeked: their visibility and receive counts are unchanged)</caption><thead><tr>")
        .append("<th scope=\"col\">Message id</th><th scope=\"col\">State</th><th scope=\"col\">Sent</th>")
        .append("<th scope=\"col\">Receives</th><th scope=\"col\">Body</th></tr></thead><tbody>");
    for (Object o : messages) {
      JsonObject m = (JsonObject) o;
      JsonObject attributes = m.getJsonObject("Attributes", new JsonObject());
      String sent = attributes.getString("SentTimestamp");
      b.append("<tr><th scope=\"row\"><code>").append(Html.text(m.getString("MessageId"))).append("</code></th><td>")
          .append(Html.text(state(m.getString("Status")))).append("</td><td>")
          .append(sent == null ? "-" : Html.text(Instant.ofEpochMilli(Long.parseLong(sent)))).append("</td><td>")
          .append(Html.text(attributes.getString("ApproximateReceiveCount"))).append("</td><td><pre class=\"body\">")
          .append(Html.text(abbreviated(m.getString("Body", "")))).append("</pre></td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String state(String status) {
    if (status == null) return "-";
    return switch (status) {
      case "IN_FLIGHT" -> "in flight";
      case "DELAYED" -> "delayed";
      default -> "visible";
    };
  }

  private static String abbreviated(String body) {
    return body.length() <= 2_000 ? body : body.substring(0, 2_000) + "\u2026 (" + body.length() + " characters)";
  }
}
