package io.eventplane.gateway.console;

import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics, a page at a time: one ListTopics call (SNS's pages of 100) with the NextToken of the
 * page before, then each listed topic's subscription counts (GetTopicAttributes).
 */
final class TopicListPage {
  private TopicListPage() {}

  static Future<String> render(Caller caller, String token) {
    JsonObject in = new JsonObject();
    if (token != null && !token.isEmpty()) in.put("NextToken", token);
    return caller.call(SnsQueryProtocol.BINDING, "ListTopics", in).compose(out -> {
      JsonArray topics = out.getJsonArray("Topics", new JsonArray());
      List<Future<JsonObject>> attributes = new ArrayList<>();
      for (Object t : topics) {
        attributes.add(caller.call(SnsQueryProtocol.BINDING, "GetTopicAttributes",
            new JsonObject().put("TopicArn", ((JsonObject) t).getString("TopicArn"))));
      }
      return Future.join(attributes).transform(ignored -> Future.succeededFuture(
          html(token, topics, attributes, out.getString("NextToken"))));
    });
  }

  private static String html(String token, JsonArray topics, List<Future<JsonObject>> attributes, String next) {
    StringBuilder b = new StringBuilder();
    if (topics.isEmpty()) {
      b.append("<p>No topics.</p>");
    } else {
      b.append("<table id=\"topics\"><caption>Topics, ").append(topics.size()).append(" on this page</caption><thead><tr>")
          .append("<th scope=\"col\">Name</th><th scope=\"col\">ARN</th><th scope=\"col\">Subscriptions confirmed</th>")
          .append("<th scope=\"col\">Pending</th></tr></thead><tbody>");
      for (int i = 0; i < topics.size(); i++) {
        String arn = topics.getJsonObject(i).getString("TopicArn");
        String name = Topics.nameOf(arn);
        Future<JsonObject> a = attributes.get(i);
        JsonObject attrs = a.succeeded() ? a.result().getJsonObject("Attributes", new JsonObject()) : new JsonObject();
        b.append("<tr><th scope=\"row\"><a href=\"").append(Topics.href(name)).append("\">").append(Html.text(name))
            .append("</a></th><td><code>").append(Html.text(arn)).append("</code></td><td>")
            .append(Html.text(attrs.getValue("SubscriptionsConfirmed", "-"))).append("</td><td>")
            .append(Html.text(attrs.getValue("SubscriptionsPending", "-"))).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    return b.append(Paging.nav(ConsoleRoute.PREFIX + "topics", "token", token, next)).toString();
  }
}
