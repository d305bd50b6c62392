package io.eventplane.gateway.console;

import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One event bus: DescribeEventBus, its rules a page at a time (ListRules with Limit and NextToken),
 * and its archives (ListArchives by the bus's ARN: state, event count, size), each linking to its page.
 */
final class BusPage {
  static final int PAGE_SIZE = 50;

  private BusPage() {}

  static Future<String> render(Caller caller, String name, String token) {
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeEventBus", new JsonObject().put("Name", name)).compose(bus -> {
      JsonObject rulesIn = new JsonObject().put("EventBusName", name).put("Limit", PAGE_SIZE);
      if (token != null && !token.isEmpty()) rulesIn.put("NextToken", token);
      Future<JsonObject> rules = caller.call(EventBridgeJsonProtocol.BINDING, "ListRules", rulesIn);
      Future<JsonObject> archives = caller.call(EventBridgeJsonProtocol.BINDING, "ListArchives",
          new JsonObject().put("EventSourceArn", bus.getString("Arn")).put("Limit", 100));
      return Future.all(rules, archives).map(x -> html(name, bus, token, rules.result(), archives.result()));
    });
  }

  private static String html(String name, JsonObject bus, String token, JsonObject rules, JsonObject archives) {
    StringBuilder b = new StringBuilder();
    b.append("<dl class=\"facts\"><div><dt>ARN</dt><dd><code>").append(Html.text(bus.getString("Arn"))).append("</code></dd></div>");
    if (bus.getString("Description") != null) {
      b.append("<div><dt>Description</dt><dd>").append(Html.text(bus.getString("Description"))).append("</dd></div>");
    }
    JsonObject dlq = bus.getJsonObject("DeadLetterConfig");
    if (dlq != null) b.append("<div><dt>Dead-letter queue</dt><dd><code>").append(Html.text(dlq.getString("Arn"))).append("</code></dd></div>");
    b.append("</dl>");

    JsonArray list = rules.getJsonArray("Rules", new JsonArray());
    b.append("<section aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rules</h2>");
    if (list.isEmpty()) {
      b.append("<p id=\"rules-none\">No rules on this bus.</p>");
    } else {
      b.append("<table id=\"rules\"><caption>Rules, ").append(list.size()).append(" on this page</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">State</th><th scope=\"col\">Pattern or schedule</th></tr></thead><tbody>");
      for (Object o : list) {
        JsonObject r = (JsonObject) o;
        String what = r.getString("EventPattern") != null ? r.getString("EventPattern") : r.getString("ScheduleExpression", "");
        b.append("<tr><th scope=\"row\"><a href=\"").append(EventPaths.rule(name, r.getString("Name"))).append("\">")
            .append(Html.text(r.getString("Name"))).append("</a></th><td>").append(Html.text(r.getString("State")))
            .append("</td><td><code>").append(Html.text(abbreviated(what))).append("</code></td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append(PageLinks.nav("buses/" + Html.url(name), "", token, rules.getString("NextToken"), "token")).append("</section>");

    JsonArray as = archives.getJsonArray("Archives", new JsonArray());
    b.append("<section aria-labelledby=\"archives-h\"><h2 id=\"archives-h\">Archives</h2>");
    if (as.isEmpty()) {
      b.append("<p id=\"archives-none\">No archives of this bus.</p>");
    } else {
      b.append("<table id=\"archives\"><caption>Archives of this bus</caption><thead><tr><th scope=\"col\">Name</th>")
          .append("<th scope=\"col\">State</th><th scope=\"col\">Events</th><th scope=\"col\">Size (bytes)</th>")
          .append("<th scope=\"col\">Retention (days)</th><th scope=\"col\">Created</th></tr></thead><tbody>");
      for (Object o : as) b.append(ArchivePage.row((JsonObject) o));
      b.append("</tbody></table>");
    }
    if (archives.getString("NextToken") != null) b.append("<p>More than 100 archives: the first 100 are shown.</p>");
    return b.append("</section>").toString();
  }

  static String abbreviated(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "\u2026";
  }
}
