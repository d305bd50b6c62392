package io.eventplane.gateway.console;

import io.eventplane.gateway.cloudtrail.CloudTrailJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/**
 * The audit trail: the API call history as CloudTrail's LookupEvents answers it, searched by one
 * lookup attribute (CloudTrail takes at most one: event name, user name, resource name, ...) and a
 * time range, a page of {@link #PAGE_SIZE} at a time by NextToken; each event's CloudTrail record
 * (JSON) expands in place. The search is a GET form, so a search's URL can be kept and shared.
 */
final class AuditPage {
  static final int PAGE_SIZE = 50;
  /** The lookup attributes the form offers, in CloudTrail's names, with what a reader calls them. */
  static final List<String[]> ATTRIBUTES = List.of(new String[] {"EventName", "Event name"},
      new String[] {"Username", "User name"}, new String[] {"ResourceName", "Resource name"},
      new String[] {"EventSource", "Event source"}, new String[] {"AccessKeyId", "Access key id"},
      new String[] {"ReadOnly", "Read-only (true or false)"}, new String[] {"EventId", "Event id"},
      new String[] {"ResourceType", "Resource type"});

  private AuditPage() {}

  static Future<String> render(Caller caller, MultiMap params) {
    String key = params.get("key");
    String value = params.get("value");
    String from = params.get("from");
    String to = params.get("to");
    String token = params.get("token");
    JsonObject in = new JsonObject().put("MaxResults", PAGE_SIZE);
    boolean byAttribute = key != null && !key.isEmpty() && value != null && !value.isEmpty();
    if (byAttribute) {
      in.put("LookupAttributes", new JsonArray().add(new JsonObject().put("AttributeKey", key).put("AttributeValue", value)));
    }
    BigDecimal start = Times.fromField(from);
    BigDecimal end = Times.fromField(to);
    if (start != null) in.put("StartTime", start);
    if (end != null) in.put("EndTime", end);
    if (token != null && !token.isEmpty()) in.put("NextToken", token);
    StringBuilder query = new StringBuilder();
    if (byAttribute) query.append("key=").append(Html.url(key)).append("&value=").append(Html.url(value));
    if (start != null) query.append(query.length() == 0 ? "" : "&").append("from=").append(Html.url(from));
    if (end != null) query.append(query.length() == 0 ? "" : "&").append("to=").append(Html.url(to));
    String form = form(key, value, from, to);
    return caller.call(CloudTrailJsonProtocol.BINDING, "LookupEvents", in)
        .map(out -> form + events(out.getJsonArray("Events", new JsonArray()))
            + PageLinks.nav("audit", query.toString(), token, out.getString("NextToken"), "token"))
        .recover(e -> e instanceof ConsoleFailure f && f.status() == 400
            // A search CloudTrail refuses (a bad time range, an expired token): the form again, with why.
            ? Future.succeededFuture(form + "<p role=\"alert\" class=\"error\" id=\"flash\"><strong>" + Html.text(f.error.code())
                + "</strong>: " + Html.text(f.error.message()) + "</p>")
            : Future.failedFuture(e));
  }

  private static String form(String key, String value, String from, String to) {
    StringBuilder b = new StringBuilder("<form method=\"get\" action=\"").append(ConsoleRoute.PREFIX)
        .append("audit\" class=\"filter stack\" id=\"audit-search\"><label for=\"audit-key\">Look up by</label>")
        .append("<select id=\"audit-key\" name=\"key\"><option value=\"\">(any event)</option>");
    for (String[] a : ATTRIBUTES) {
      b.append("<option value=\"").append(a[0]).append('"').append(a[0].equals(key) ? " selected" : "").append('>')
          .append(Html.text(a[1])).append("</option>");
    }
    b.append("</select><label for=\"audit-value\">Value</label><input id=\"audit-value\" name=\"value\" maxlength=\"2000\" value=\"")
        .append(Html.text(value)).append("\"><label for=\"audit-from\">From (UTC)</label>")
        .append("<input id=\"audit-from\" name=\"from\" type=\"datetime-local\" step=\"1\" value=\"").append(Html.text(from))
        .append("\"><label for=\"audit-to\">To (UTC)</label>")
        .append("<input id=\"audit-to\" name=\"to\" type=\"datetime-local\" step=\"1\" value=\"").append(Html.text(to))
        .append("\"><button type=\"submit\" id=\"audit-search-button\">Search</button></form>");
    return b.toString();
  }

  private static String events(JsonArray events) {
    if (events.isEmpty()) return "<p id=\"audit-none\">No API calls match.</p>";
    StringBuilder b = new StringBuilder("<table id=\"audit\"><caption>API calls, newest first, ").append(events.size())
        .append(" on this page</caption><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Event name</th>")
        .append("<th scope=\"col\">User name</th><th scope=\"col\">Event source</th><th scope=\"col\">Resources</th>")
        .append("<th scope=\"col\">Record</th></tr></thead><tbody>");
    for (Object o : events) {
      JsonObject e = (JsonObject) o;
      StringBuilder resources = new StringBuilder();
      for (Object r : e.getJsonArray("Resources", new JsonArray())) {
        if (r instanceof JsonObject res && res.getString("ResourceName") != null) {
          if (resources.length() > 0) resources.append(", ");
          resources.append(res.getString("ResourceName"));
        }
      }
      b.append("<tr><th scope=\"row\">").append(Html.text(Times.text(e.getValue("EventTime")))).append("</th><td class=\"event-name\">")
          .append(Html.text(e.getString("EventName"))).append("</td><td>").append(Html.text(e.getString("Username", "-")))
          .append("</td><td>").append(Html.text(e.getString("EventSource"))).append("</td><td>")
          .append(Html.text(resources)).append("</td><td><details><summary>JSON</summary><pre class=\"json\">")
          .append(Html.text(pretty(e.getString("CloudTrailEvent")))).append("</pre></details></td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String pretty(String json) {
    if (json == null) return "";
    try {
      return new JsonObject(json).encodePrettily();
    } catch (DecodeException e) {
      return json;
    }
  }
}
