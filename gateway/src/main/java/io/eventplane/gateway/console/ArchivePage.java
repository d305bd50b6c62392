package io.eventplane.gateway.console;

import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One archive: DescribeArchive (its bus, pattern, state, event count and size), its replays
 * (ListReplays by the archive's ARN, 50 a page, each linking to its progress), and a form that starts a replay
 * of a time window back to the archive's bus (StartReplay: EventBridge replays only to that bus).
 */
final class ArchivePage {
  private ArchivePage() {}

  /** A row of an archive table (ListArchives' or DescribeArchive's members). */
  static String row(JsonObject a) {
    String name = a.getString("ArchiveName");
    return "<tr><th scope=\"row\"><a href=\"" + EventPaths.archive(name) + "\">" + Html.text(name) + "</a></th><td>"
        + Html.text(a.getString("State")) + "</td><td class=\"event-count\">" + Html.text(a.getValue("EventCount", 0))
        + "</td><td>" + Html.text(a.getValue("SizeBytes", 0)) + "</td><td>" + Html.text(a.getValue("RetentionDays", 0))
        + "</td><td>" + Html.text(Times.text(a.getValue("CreationTime"))) + "</td></tr>";
  }

  static final int REPLAY_PAGE = 50;

  static Future<String> render(Caller caller, String name, MultiMap params, long now) {
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeArchive", new JsonObject().put("ArchiveName", name))
        .compose(a -> {
          JsonObject in = new JsonObject().put("EventSourceArn", a.getString("ArchiveArn")).put("Limit", REPLAY_PAGE);
          String token = params.get("token");
          if (token != null && !token.isEmpty()) in.put("NextToken", token);
          return caller.call(EventBridgeJsonProtocol.BINDING, "ListReplays", in).map(replays -> html(caller, name, a, replays, params, now));
        });
  }

  private static String html(Caller caller, String name, JsonObject a, JsonObject replays, MultiMap params, long now) {
    StringBuilder b = new StringBuilder();
    String failed = params.get("failed");
    if (failed != null) b.append("<p role=\"alert\" class=\"error\" id=\"flash\">").append(Html.text(failed)).append("</p>");
    String bus = PageLinks.lastSegment(a.getString("EventSourceArn"));
    b.append("<p><a href=\"").append(EventPaths.bus(bus)).append("\">Bus ").append(Html.text(bus)).append("</a></p>")
        .append("<table id=\"archive\"><caption>DescribeArchive</caption><thead><tr><th scope=\"col\">Name</th>")
        .append("<th scope=\"col\">State</th><th scope=\"col\">Events</th><th scope=\"col\">Size (bytes)</th>")
        .append("<th scope=\"col\">Retention (days)</th><th scope=\"col\">Created</th></tr></thead><tbody>")
        .append(row(a)).append("</tbody></table>");
    if (a.getString("EventPattern") != null) {
      b.append("<h2 id=\"archive-pattern-h\">Archived events match</h2><pre class=\"json\">")
          .append(Html.text(RulePage.pretty(a.getString("EventPattern")))).append("</pre>");
    }

    String action = EventPaths.archive(name) + "/replay";
    b.append("<section aria-labelledby=\"replay-h\"><h2 id=\"replay-h\">Start a replay</h2>")
        .append("<p>Sends the archived events whose time is in the window to bus <strong>").append(Html.text(bus))
        .append("</strong> again, in time order, with <code>replay-name</code> set. Times are UTC.</p>")
        .append("<form method=\"post\" action=\"").append(action).append("\" class=\"stack\">").append(caller.csrfField())
        .append("<label for=\"replay-name\">Replay name</label>")
        .append("<input id=\"replay-name\" name=\"name\" required maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]+\" value=\"")
        .append(Html.text(name + "-" + now / 1000)).append("\">")
        .append("<label for=\"replay-start\">Events from (UTC)</label>")
        .append("<input id=\"replay-start\" name=\"start\" type=\"datetime-local\" step=\"1\" required value=\"")
        .append(Times.toField(now - 86_400_000L)).append("\">")
        .append("<label for=\"replay-end\">Events until (UTC)</label>")
        .append("<input id=\"replay-end\" name=\"end\" type=\"datetime-local\" step=\"1\" required value=\"")
        .append(Times.toField(now)).append("\">")
        .append("<button type=\"submit\" id=\"start-replay\">Start replay</button></form></section>");

    JsonArray rs = replays.getJsonArray("Replays", new JsonArray());
    b.append("<section aria-labelledby=\"replays-h\"><h2 id=\"replays-h\">Replays</h2>");
    if (rs.isEmpty()) {
      b.append("<p id=\"replays-none\">No replays of this archive.</p>");
    } else {
      b.append("<table id=\"replays\"><caption>Replays of this archive (ListReplays)</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">State</th><th scope=\"col\">Window</th>")
          .append("<th scope=\"col\">Last replayed</th><th scope=\"col\">Started</th></tr></thead><tbody>");
      for (Object o : rs) {
        JsonObject r = (JsonObject) o;
        b.append("<tr><th scope=\"row\"><a href=\"").append(EventPaths.replay(r.getString("ReplayName"))).append("\">")
            .append(Html.text(r.getString("ReplayName"))).append("</a></th><td>").append(Html.text(r.getString("State")))
            .append("</td><td>").append(Html.text(Times.text(r.getValue("EventStartTime")))).append(" to ")
            .append(Html.text(Times.text(r.getValue("EventEndTime")))).append("</td><td>")
            .append(Html.text(Times.text(r.getValue("EventLastReplayedTime")))).append("</td><td>")
            .append(Html.text(Times.text(r.getValue("ReplayStartTime")))).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append(PageLinks.nav("archives/" + Html.url(name), "", params.get("token"), replays.getString("NextToken"), "token"));
    return b.append("</section>").toString();
  }

  /**
   * StartReplay of the window the form names, back to the archive's bus: the replay's name on
   * success (its page follows), or the service's refusal.
   */
  static Future<String> startReplay(Caller caller, String archive, MultiMap form) {
    java.math.BigDecimal start = Times.fromField(form.get("start"));
    java.math.BigDecimal end = Times.fromField(form.get("end"));
    String name = form.get("name") == null ? "" : form.get("name").trim();
    if (start == null || end == null) {
      return Future.failedFuture(new ConsoleFailure(io.eventplane.common.error.ServiceError.sender("ValidationException",
          "Give the window's start and end as dates and times (UTC).")));
    }
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeArchive", new JsonObject().put("ArchiveName", archive))
        .compose(a -> caller.call(EventBridgeJsonProtocol.BINDING, "StartReplay", new JsonObject().put("ReplayName", name)
            .put("EventSourceArn", a.getString("ArchiveArn")).put("EventStartTime", start).put("EventEndTime", end)
            .put("Destination", new JsonObject().put("Arn", a.getString("EventSourceArn")))))
        .map(started -> name);
  }
}
