package io.eventplane.gateway.console;

import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic: its attributes (GetTopicAttributes), its subscriptions a page at a time
 * (ListSubscriptionsByTopic's NextToken) with each one's filter policy and redrive policy (its
 * dead-letter queue) from GetSubscriptionAttributes, and a form to publish a message.
 */
final class TopicPage {
  /** Message attribute rows the publish form offers. */
  static final int ATTRIBUTE_ROWS = 3;

  private TopicPage() {}

  static Future<String> render(Caller caller, String name, MultiMap params) {
    String arn = Topics.arn(caller, name);
    String token = params.get("token");
    return caller.call(SnsQueryProtocol.BINDING, "GetTopicAttributes", new JsonObject().put("TopicArn", arn)).compose(attrs -> {
      JsonObject in = new JsonObject().put("TopicArn", arn);
      if (token != null && !token.isEmpty()) in.put("NextToken", token);
      return caller.call(SnsQueryProtocol.BINDING, "ListSubscriptionsByTopic", in).compose(listed -> {
        JsonArray subscriptions = listed.getJsonArray("Subscriptions", new JsonArray());
        List<Future<JsonObject>> details = new ArrayList<>();
        for (Object o : subscriptions) {
          String subscription = ((JsonObject) o).getString("SubscriptionArn");
          // A subscription waiting for its confirmation has no ARN yet, so nothing to ask about.
          details.add(subscription == null || !subscription.startsWith("arn:") ? Future.succeededFuture(new JsonObject())
              : caller.call(SnsQueryProtocol.BINDING, "GetSubscriptionAttributes",
                  new JsonObject().put("SubscriptionArn", subscription)));
        }
        return Future.join(details).transform(ignored -> Future.succeededFuture(html(caller, name,
            attrs.getJsonObject("Attributes", new JsonObject()), subscriptions, details, token, listed.getString("NextToken"), params)));
      });
    });
  }

  private static String html(Caller caller, String name, JsonObject attributes, JsonArray subscriptions,
      List<Future<JsonObject>> details, String token, String next, MultiMap params) {
    String base = Topics.href(name);
    StringBuilder b = new StringBuilder();
    String published = params.get("published");
    b.append(Paging.flash(published == null ? null : "Published message " + published, params.get("failed")));

    b.append("<section aria-labelledby=\"subscriptions-h\"><h2 id=\"subscriptions-h\">Subscriptions</h2>");
    if (subscriptions.isEmpty()) {
      b.append("<p id=\"subscriptions-none\">No subscriptions").append(token == null ? "" : " on this page").append(".</p>");
    } else {
      b.append("<table id=\"subscriptions\"><caption>Subscriptions, ").append(subscriptions.size())
          .append(" on this page</caption><thead><tr><th scope=\"col\">Endpoint</th><th scope=\"col\">Protocol</th>")
          .append("<th scope=\"col\">Filter policy</th><th scope=\"col\">Dead-letter queue (redrive policy)</th>")
          .append("<th scope=\"col\">Raw delivery</th><th scope=\"col\">Subscription</th></tr></thead><tbody>");
      for (int i = 0; i < subscriptions.size(); i++) {
        JsonObject s = subscriptions.getJsonObject(i);
        Future<JsonObject> d = details.get(i);
        JsonObject a = d.succeeded() ? d.result().getJsonObject("Attributes", new JsonObject()) : new JsonObject();
        b.append("<tr><th scope=\"row\">").append(endpoint(s.getString("Protocol"), s.getString("Endpoint"))).append("</th><td>")
            .append(Html.text(s.getString("Protocol"))).append("</td><td class=\"filter-policy\">");
        String filter = a.getString("FilterPolicy");
        if (filter == null || filter.isEmpty()) {
          b.append("none (every message)");
        } else {
          b.append("<pre>").append(Html.text(pretty(filter))).append("</pre><small>on the message ")
              .append("MessageBody".equals(a.getString("FilterPolicyScope")) ? "body" : "attributes").append("</small>");
        }
        b.append("</td><td class=\"redrive-policy\">").append(deadLetter(a.getString("RedrivePolicy"))).append("</td><td>")
            .append("true".equals(a.getString("RawMessageDelivery")) ? "yes" : "no").append("</td><td><code>")
            .append(Html.text(s.getString("SubscriptionArn"))).append("</code></td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append(Paging.nav(base, "token", token, next)).append("</section>");

    boolean fifo = name.endsWith(".fifo");
    b.append("<section aria-labelledby=\"publish-h\"><h2 id=\"publish-h\">Publish a message</h2>")
        .append("<form method=\"post\" action=\"").append(base).append("/publish\" class=\"stack\">").append(caller.csrfField())
        .append("<label for=\"message\">Message</label><textarea id=\"message\" name=\"message\" rows=\"4\" required></textarea>")
        .append("<label for=\"subject\">Subject (optional)</label><input id=\"subject\" name=\"subject\" maxlength=\"100\">");
    if (fifo) {
      b.append("<label for=\"group\">Message group id</label><input id=\"group\" name=\"group\" required value=\"console\">")
          .append("<label for=\"dedup\">Deduplication id (empty: content-based, if the topic has it)</label>")
          .append("<input id=\"dedup\" name=\"dedup\">");
    }
    b.append("<fieldset><legend>Message attributes (optional)</legend><table class=\"attribute-rows\"><thead><tr>")
        .append("<th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Value</th></tr></thead><tbody>");
    for (int i = 0; i < ATTRIBUTE_ROWS; i++) {
      b.append("<tr><td><label class=\"visually-hidden\" for=\"attr-name-").append(i).append("\">Attribute ").append(i + 1)
          .append(" name</label><input id=\"attr-name-").append(i).append("\" name=\"attr-name-").append(i).append("\"></td>")
          .append("<td><label class=\"visually-hidden\" for=\"attr-type-").append(i).append("\">Attribute ").append(i + 1)
          .append(" type</label><select id=\"attr-type-").append(i).append("\" name=\"attr-type-").append(i).append("\">")
          .append("<option>String</option><option>Number</option><option>String.Array</option></select></td>")
          .append("<td><label class=\"visually-hidden\" for=\"attr-value-").append(i).append("\">Attribute ").append(i + 1)
          .append(" value</label><input id=\"attr-value-").append(i).append("\" name=\"attr-value-").append(i).append("\"></td></tr>");
    }
    b.append("</tbody></table></fieldset><button type=\"submit\" id=\"publish\">Publish message</button></form></section>");

    b.append("<section aria-labelledby=\"attributes-h\"><h2 id=\"attributes-h\">Attributes</h2>")
        .append(Paging.table("attributes", "GetTopicAttributes", attributes.getMap())).append("</section>");
    return b.toString();
  }

  /** A queue endpoint links to its queue page when it is one of the caller's queues; others are shown as they are. */
  private static String endpoint(String protocol, String endpoint) {
    if ("sqs".equals(protocol) && endpoint != null && endpoint.startsWith("arn:aws:sqs:")) {
      String queue = Topics.nameOf(endpoint);
      return "<a href=\"" + ConsoleRoute.PREFIX + "queues/" + Html.url(queue) + "\">" + Html.text(queue) + "</a>";
    }
    return "<code>" + Html.text(endpoint) + "</code>";
  }

  /** A redrive policy's dead-letter queue, linked to its page; none when the subscription has no policy. */
  private static String deadLetter(String redrivePolicy) {
    if (redrivePolicy == null || redrivePolicy.isEmpty()) return "none";
    try {
      String dlq = new JsonObject(redrivePolicy).getString("deadLetterTargetArn");
      if (dlq != null && dlq.startsWith("arn:aws:sqs:")) {
        String queue = Topics.nameOf(dlq);
        return "<a href=\"" + ConsoleRoute.PREFIX + "queues/" + Html.url(queue) + "\">" + Html.text(queue) + "</a>";
      }
    } catch (RuntimeException e) {
      // Shown as stored.
    }
    return "<code>" + Html.text(redrivePolicy) + "</code>";
  }

  private static String pretty(String json) {
    try {
      return new JsonObject(json).encodePrettily();
    } catch (RuntimeException e) {
      return json;
    }
  }
}
