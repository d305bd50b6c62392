package io.eventplane.gateway.console;

import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * One queue: its live counts and depth chart (the live stream, {@link QueueLive}), its attributes,
 * a form to send a test message, a peek at its messages, purge (behind a confirmation page) and,
 * for a dead-letter queue, its source queues, a redrive button and the redrives' progress.
 */
final class QueuePage {
  private QueuePage() {}

  /** The queue name in a queue URL (its last path segment). */
  static String nameOf(String queueUrl) {
    int slash = queueUrl.lastIndexOf('/');
    return slash < 0 ? queueUrl : queueUrl.substring(slash + 1);
  }

  /** The queue's URL, by GetQueueUrl in the caller's account. */
  static Future<String> urlOf(Caller caller, String name) {
    return caller.call(SqsJsonProtocol.BINDING, "GetQueueUrl", new JsonObject().put("QueueName", name))
        .map(out -> out.getString("QueueUrl"));
  }

  static Future<String> render(Caller caller, String name, MultiMap params, long now) {
    return urlOf(caller, name).compose(url -> caller.call(SqsJsonProtocol.BINDING, "GetQueueAttributes",
        new JsonObject().put("QueueUrl", url).put("AttributeNames", new JsonArray().add("All"))).compose(attrs -> {
          JsonObject attributes = attrs.getJsonObject("Attributes", new JsonObject());
          // An identity that may not list a DLQ's sources sees the queue as any other.
          Future<JsonObject> sources = caller.callIfAllowed(SqsJsonProtocol.BINDING, "ListDeadLetterSourceQueues",
              new JsonObject().put("QueueUrl", url).put("MaxResults", 100), new JsonObject());
          return sources.compose(s -> {
            JsonArray sourceUrls = s.getJsonArray("queueUrls", new JsonArray());
            if (sourceUrls.isEmpty()) return Future.succeededFuture(html(caller, name, attributes, sourceUrls, null, params, now));
            return caller.callIfAllowed(SqsJsonProtocol.BINDING, "ListMessageMoveTasks", new JsonObject()
                .put("SourceArn", attributes.getString("QueueArn")).put("MaxResults", 10), null)
                .map(tasks -> html(caller, name, attributes, sourceUrls, tasks, params, now));
          });
        }));
  }

  private static String html(Caller caller, String name, JsonObject attributes, JsonArray sources, JsonObject tasks, MultiMap params,
      long now) {
    String base = ConsoleRoute.PREFIX + "queues/" + Html.url(name);
    boolean dlq = !sources.isEmpty();
    boolean fifo = name.endsWith(".fifo");
    StringBuilder b = new StringBuilder();
    flash(b, params);
    b.append("<section aria-labelledby=\"depth-h\"><h2 id=\"depth-h\">Messages</h2>")
        .append("<div hx-ext=\"sse\" sse-connect=\"").append(base).append("/live").append(dlq ? "?dlq=1" : "").append("\">")
        .append("<div id=\"depth-live\" sse-swap=\"depth\" aria-live=\"polite\">")
        .append(QueueFragments.depth(attributes, now)).append("</div>")
        .append("<figure><div id=\"depth-chart\" role=\"img\" aria-label=\"Visible, in-flight and delayed messages over time\"></div>")
        .append("<figcaption>Depth over time, refreshed every ").append(QueueLive.PERIOD_MILLIS / 1000)
        .append(" seconds while this page is open</figcaption></figure>");
    if (dlq) {
      b.append("<section aria-labelledby=\"dlq-h\"><h2 id=\"dlq-h\">Dead-letter queue</h2><p>Dead-letter queue of: ");
      for (int i = 0; i < sources.size(); i++) {
        String source = nameOf(sources.getString(i));
        if (i > 0) b.append(", ");
        b.append("<a href=\"").append(ConsoleRoute.PREFIX).append("queues/").append(Html.url(source)).append("\">")
            .append(Html.text(source)).append("</a>");
      }
      b.append("</p><form method=\"post\" action=\"").append(base).append("/redrive\">").append(caller.csrfField())
          .append("<button type=\"submit\" id=\"redrive\">Redrive messages to their source queues</button></form>")
          .append("<div id=\"move-tasks-live\" sse-swap=\"tasks\" aria-live=\"polite\">")
          .append(QueueFragments.moveTasks(tasks)).append("</div></section>");
    }
    b.append("</div></section>");

    b.append("<section aria-labelledby=\"send-h\"><h2 id=\"send-h\">Send a test message</h2>")
        .append("<form method=\"post\" action=\"").append(base).append("/send\" class=\"stack\">").append(caller.csrfField())
        .append("<label for=\"body\">Message body</label>")
        .append("<textarea id=\"body\" name=\"body\" rows=\"4\" required></textarea>");
    if (fifo) {
      b.append("<label for=\"group\">Message group id</label><input id=\"group\" name=\"group\" required value=\"console\">")
          .append("<label for=\"dedup\">Deduplication id (empty: content-based, if the queue has it)</label>")
          .append("<input id=\"dedup\" name=\"dedup\">");
    } else {
      b.append("<label for=\"delay\">Delay in seconds (0 to 900)</label>")
          .append("<input id=\"delay\" name=\"delay\" type=\"number\" min=\"0\" max=\"900\" value=\"0\">");
    }
    b.append("<button type=\"submit\" id=\"send\">Send message</button></form></section>");

    b.append("<section aria-labelledby=\"peek-h\"><h2 id=\"peek-h\">Peek</h2>")
        .append("<p>Shows the oldest messages without receiving them: nothing becomes invisible, no receive is counted.</p>")
        .append("<form method=\"get\" action=\"").append(base).append("/peek\" hx-get=\"").append(base)
        .append("/peek\" hx-target=\"#peeked\" hx-swap=\"innerHTML\">")
        .append("<button type=\"submit\" id=\"peek-button\">Peek at messages</button></form>")
        .append("<div id=\"peeked\" aria-live=\"polite\"></div></section>");

    b.append("<section aria-labelledby=\"attributes-h\"><h2 id=\"attributes-h\">Attributes</h2>")
        .append("<table id=\"attributes\"><caption>GetQueueAttributes (All)</caption><thead><tr>")
        .append("<th scope=\"col\">Attribute</th><th scope=\"col\">Value</th></tr></thead><tbody>");
    Map<String, Object> sorted = new TreeMap<>(attributes.getMap());
    sorted.forEach((k, v) -> b.append("<tr><th scope=\"row\">").append(Html.text(k)).append("</th><td><code>")
        .append(Html.text(v)).append("</code></td></tr>"));
    b.append("</tbody></table></section>");

    b.append("<section aria-labelledby=\"purge-h\"><h2 id=\"purge-h\">Purge</h2><p><a id=\"purge\" href=\"")
        .append(base).append("/purge\">Purge this queue\u2026</a> (asks for confirmation)</p></section>");
    return b.toString();
  }

  /** What the last action did: the page after a form's redirect says so once. */
  private static void flash(StringBuilder b, MultiMap params) {
    String said = null;
    if (params.get("sent") != null) said = "Sent message " + params.get("sent");
    else if (params.get("purged") != null) said = "Purge requested: " + params.get("purged");
    // The task handle is long and says nothing to a reader: the progress shows under Dead-letter queue.
    else if (params.get("redrive") != null) said = "Redrive started: its progress shows under Dead-letter queue.";
    if (said != null) b.append("<p role=\"status\" class=\"flash\" id=\"flash\">").append(Html.text(said)).append("</p>");
    String failed = params.get("failed");
    if (failed != null) b.append("<p role=\"alert\" class=\"error\" id=\"flash\">").append(Html.text(failed)).append("</p>");
  }

  /** The confirmation page of a purge: a form that must be submitted on purpose. */
  static String purgeConfirmation(Caller caller, String name) {
    String base = ConsoleRoute.PREFIX + "queues/" + Html.url(name);
    return "<p>Purging deletes every message in <strong>" + Html.text(name) + "</strong>, visible, in flight and "
        + "delayed. It cannot be undone, and SQS allows one purge per queue every 60 seconds.</p>"
        + "<form method=\"post\" action=\"" + base + "/purge\">" + caller.csrfField() + "<input type=\"hidden\" name=\"confirm\" value=\""
        + Html.text(name) + "\"><button type=\"submit\" id=\"confirm-purge\" class=\"danger\">Purge "
        + Html.text(name) + "</button> <a href=\"" + base + "\">Cancel</a></form>";
  }
}
