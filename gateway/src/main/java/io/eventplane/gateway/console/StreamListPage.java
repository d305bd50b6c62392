package io.eventplane.gateway.console;

import io.eventplane.gateway.kinesis.KinesisJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The data streams (Kinesis), a page at a time: ListStreams with Limit and the previous page's NextToken. */
final class StreamListPage {
  static final int PAGE_SIZE = 50;

  private StreamListPage() {}

  static Future<String> render(Caller caller, String token) {
    JsonObject in = new JsonObject().put("Limit", PAGE_SIZE);
    if (token != null && !token.isEmpty()) in.put("NextToken", token);
    return caller.call(KinesisJsonProtocol.BINDING, "ListStreams", in).map(out -> {
      JsonArray streams = out.getJsonArray("StreamSummaries", new JsonArray());
      StringBuilder b = new StringBuilder();
      if (streams.isEmpty()) {
        b.append("<p id=\"streams-none\">No streams.</p>");
      } else {
        b.append("<table id=\"streams\"><caption>Streams, ").append(streams.size()).append(" on this page</caption><thead><tr>")
            .append("<th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\">Capacity mode</th>")
            .append("<th scope=\"col\">Created</th></tr></thead><tbody>");
        for (Object o : streams) {
          JsonObject s = (JsonObject) o;
          String name = s.getString("StreamName");
          JsonObject mode = s.getJsonObject("StreamModeDetails", new JsonObject());
          b.append("<tr><th scope=\"row\"><a href=\"").append(ConsoleRoute.PREFIX).append("streams/").append(Html.url(name))
              .append("\">").append(Html.text(name)).append("</a></th><td>").append(Html.text(s.getString("StreamStatus")))
              .append("</td><td>").append(Html.text(mode.getString("StreamMode", "-"))).append("</td><td>")
              .append(Html.text(Times.text(s.getValue("StreamCreationTimestamp")))).append("</td></tr>");
        }
        b.append("</tbody></table>");
      }
      return b.append(PageLinks.nav("streams", "", token, out.getString("NextToken"), "token")).toString();
    });
  }
}
