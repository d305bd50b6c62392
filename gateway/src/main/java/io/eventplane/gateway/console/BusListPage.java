package io.eventplane.gateway.console;

import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The event buses (EventBridge), a page at a time: one ListEventBuses call with Limit and the previous page's NextToken. */
final class BusListPage {
  static final int PAGE_SIZE = 50;

  private BusListPage() {}

  static Future<String> render(Caller caller, String token) {
    JsonObject in = new JsonObject().put("Limit", PAGE_SIZE);
    if (token != null && !token.isEmpty()) in.put("NextToken", token);
    return caller.call(EventBridgeJsonProtocol.BINDING, "ListEventBuses", in).map(out -> {
      JsonArray buses = out.getJsonArray("EventBuses", new JsonArray());
      StringBuilder b = new StringBuilder();
      b.append("<table id=\"buses\"><caption>Event buses, ").append(buses.size()).append(" on this page</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">ARN</th><th scope=\"col\">Description</th></tr></thead><tbody>");
      for (Object o : buses) {
        JsonObject bus = (JsonObject) o;
        String name = bus.getString("Name");
        b.append("<tr><th scope=\"row\"><a href=\"").append(EventPaths.bus(name)).append("\">").append(Html.text(name))
            .append("</a></th><td><code>").append(Html.text(bus.getString("Arn"))).append("</code></td><td>")
            .append(Html.text(bus.getString("Description", ""))).append("</td></tr>");
      }
      b.append("</tbody></table>");
      return b.append(PageLinks.nav("buses", "", token, out.getString("NextToken"), "token")).toString();
    });
  }
}
