package io.eventplane.gateway.console;

import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The queues, a page at a time: one ListQueues call with MaxResults and the NextToken of the page
 * before (never the whole list), then each listed queue's three counts. A name prefix filters, as
 * ListQueues's QueueNamePrefix does.
 */
final class QueueListPage {
  static final int PAGE_SIZE = 50;
  static final List<String> COUNTS = List.of(
      "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed");

  private QueueListPage() {}

  static Future<String> render(Caller caller, String prefix, String token) {
    JsonObject in = new JsonObject().put("MaxResults", PAGE_SIZE);
    if (prefix != null && !prefix.isEmpty()) in.put("QueueNamePrefix", prefix);
    if (token != null && !token.isEmpty()) in.put("NextToken", token);
    return caller.call(SqsJsonProtocol.BINDING, "ListQueues", in).compose(out -> {
      JsonArray urls = out.getJsonArray("QueueUrls", new JsonArray());
      List<Future<JsonObject>> counts = new ArrayList<>();
      for (Object url : urls) {
        counts.add(caller.call(SqsJsonProtocol.BINDING, "GetQueueAttributes", new JsonObject().put("QueueUrl", url)
            .put("AttributeNames", new JsonArray(COUNTS))));
      }
      return Future.join(counts).transform(ignored -> Future.succeededFuture(
          html(prefix, token, urls, counts, out.getString("NextToken"))));
    });
  }

  private static String html(String prefix, String token, JsonArray urls, List<Future<JsonObject>> counts, String next) {
    StringBuilder b = new StringBuilder();
    b.append("<form method=\"get\" action=\"").append(ConsoleRoute.PREFIX).append("queues\" class=\"filter\">")
        .append("<label for=\"prefix\">Queue name prefix</label> ")
        .append("<input id=\"prefix\" name=\"prefix\" maxlength=\"80\" value=\"").append(Html.text(prefix)).append("\"> ")
        .append("<button type=\"submit\">Filter</button></form>");
    if (urls.isEmpty()) {
      b.append("<p>No queues").append(prefix == null || prefix.isEmpty() ? "" : " with that prefix").append(".</p>");
    } else {
      b.append("<table id=\"queues\"><caption>Queues, ").append(urls.size()).append(" on this page</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">Visible</th><th scope=\"col\">In flight</th>")
          .append("<th scope=\"col\">Delayed</th></tr></thead><tbody>");
      for (int i = 0; i < urls.size(); i++) {
        String name = QueuePage.nameOf(urls.getString(i));
        b.append("<tr><th scope=\"row\"><a href=\"").append(ConsoleRoute.PREFIX).append("queues/").append(Html.url(name))
            .append("\">").append(Html.text(name)).append("</a></th>");
        Future<JsonObject> c = counts.get(i);
        JsonObject attributes = c.succeeded() ? c.result().getJsonObject("Attributes", new JsonObject()) : new JsonObject();
        for (String count : COUNTS) b.append("<td>").append(Html.text(attributes.getString(count, "-"))).append("</td>");
        b.append("</tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("<nav aria-label=\"Pages\" class=\"pages\">");
    String filter = prefix == null || prefix.isEmpty() ? "" : "prefix=" + Html.url(prefix);
    if (token != null && !token.isEmpty()) {
      b.append("<a href=\"").append(ConsoleRoute.PREFIX).append("queues").append(filter.isEmpty() ? "" : "?" + filter)
          .append("\">First page</a> ");
    }
    if (next != null) {
      b.append("<a rel=\"next\" href=\"").append(ConsoleRoute.PREFIX).append("queues?")
          .append(filter.isEmpty() ? "" : filter + "&amp;").append("token=").append(Html.url(next)).append("\">Next page</a>");
    }
    b.append("</nav>");
    return b.toString();
  }
}
