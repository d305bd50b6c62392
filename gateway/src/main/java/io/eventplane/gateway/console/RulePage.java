package io.eventplane.gateway.console;

import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One rule: DescribeRule (its event pattern shown as indented JSON, or its schedule), its targets
 * (ListTargetsByRule) with each one's retry policy and dead-letter queue, and a form that tests an
 * event against the pattern through the service (TestEventPattern: match or no match).
 */
final class RulePage {
  private RulePage() {}

  /**
   * @param event the event last tested (the form shows it again), or null for the sample
   * @param tested the last test's answer fragment ({@link #testResult}), or null
   */
  static Future<String> render(Caller caller, String bus, String rule, String event, String tested) {
    JsonObject named = new JsonObject().put("Name", rule).put("EventBusName", bus);
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeRule", named).compose(r -> caller.call(
        EventBridgeJsonProtocol.BINDING, "ListTargetsByRule", new JsonObject().put("Rule", rule).put("EventBusName", bus)
            .put("Limit", 100)).map(targets -> html(caller, bus, rule, r, targets, event, tested)));
  }

  /** TestEventPattern with the rule's own pattern: the answer as a fragment. */
  static Future<String> test(Caller caller, String bus, String rule, String event) {
    return caller.call(EventBridgeJsonProtocol.BINDING, "DescribeRule", new JsonObject().put("Name", rule).put("EventBusName", bus))
        .compose(r -> {
          String pattern = r.getString("EventPattern");
          if (pattern == null) return Future.succeededFuture(testResult(null, "This rule runs on a schedule: it has no pattern."));
          return caller.call(EventBridgeJsonProtocol.BINDING, "TestEventPattern", new JsonObject().put("EventPattern", pattern)
              .put("Event", event == null ? "" : event)).map(out -> testResult(out.getBoolean("Result", false), null))
              .recover(e -> e instanceof ConsoleFailure f && f.status() != 404
                  ? Future.succeededFuture(testResult(null, f.error.code() + ": " + f.error.message()))
                  : Future.failedFuture(e));
        });
  }

  /** Match, no match, or the service's refusal of the event (its code and message). */
  static String testResult(Boolean matched, String refusal) {
    if (refusal != null) return "<p id=\"test-result\" role=\"alert\" class=\"error\">" + Html.text(refusal) + "</p>";
    return matched ? "<p id=\"test-result\" role=\"status\" class=\"flash match\"><strong>Match</strong>: the rule would send this event to its targets.</p>"
        : "<p id=\"test-result\" role=\"status\" class=\"flash no-match\"><strong>No match</strong>: the rule would not send this event.</p>";
  }

  /** An event with every field TestEventPattern requires, for the form to start from. */
  static String sample(Caller caller) {
    return new JsonObject().put("id", "console-test").put("account", caller.context().accountId())
        .put("source", "console.test").put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("region", caller.context().region()).put("resources", new JsonArray()).put("detail-type", "Console test")
        .put("detail", new JsonObject()).encodePrettily();
  }

  private static String html(Caller caller, String bus, String rule, JsonObject r, JsonObject targets, String event, String tested) {
    StringBuilder b = new StringBuilder();
    b.append("<p><a href=\"").append(EventPaths.bus(bus)).append("\">Bus ").append(Html.text(bus)).append("</a></p>")
        .append("<dl class=\"facts\"><div><dt>ARN</dt><dd><code>").append(Html.text(r.getString("Arn"))).append("</code></dd></div>")
        .append("<div><dt>State</dt><dd id=\"rule-state\">").append(Html.text(r.getString("State"))).append("</dd></div>");
    if (r.getString("Description") != null) {
      b.append("<div><dt>Description</dt><dd>").append(Html.text(r.getString("Description"))).append("</dd></div>");
    }
    if (r.getString("ScheduleExpression") != null) {
      b.append("<div><dt>Schedule</dt><dd><code>").append(Html.text(r.getString("ScheduleExpression"))).append("</code></dd></div>");
    }
    b.append("</dl>");
    String pattern = r.getString("EventPattern");
    if (pattern != null) {
      b.append("<section aria-labelledby=\"pattern-h\"><h2 id=\"pattern-h\">Event pattern</h2><pre id=\"pattern\" class=\"json\">")
          .append(Html.text(pretty(pattern))).append("</pre></section>");
    }

    JsonArray ts = targets.getJsonArray("Targets", new JsonArray());
    b.append("<section aria-labelledby=\"targets-h\"><h2 id=\"targets-h\">Targets</h2>");
    if (ts.isEmpty()) {
      b.append("<p id=\"targets-none\">No targets: matched events go nowhere.</p>");
    } else {
      b.append("<table id=\"targets\"><caption>ListTargetsByRule</caption><thead><tr><th scope=\"col\">Id</th>")
          .append("<th scope=\"col\">ARN</th><th scope=\"col\">Retry policy</th><th scope=\"col\">Dead-letter queue</th>")
          .append("</tr></thead><tbody>");
      for (Object o : ts) {
        JsonObject t = (JsonObject) o;
        JsonObject retry = t.getJsonObject("RetryPolicy");
        JsonObject dlq = t.getJsonObject("DeadLetterConfig");
        b.append("<tr><th scope=\"row\">").append(Html.text(t.getString("Id"))).append("</th><td><code>")
            .append(Html.text(t.getString("Arn"))).append("</code></td><td>")
            .append(retry == null ? "default (185 attempts, 24 hours)" : Html.text("at most " + retry.getValue("MaximumRetryAttempts", "185")
                + " retries, events up to " + retry.getValue("MaximumEventAgeInSeconds", "86400") + " s old"))
            .append("</td><td>").append(dlq == null ? "none" : "<code>" + Html.text(dlq.getString("Arn")) + "</code>")
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</section>");

    if (pattern != null) {
      String action = EventPaths.rule(bus, rule) + "/test";
      b.append("<section aria-labelledby=\"test-h\"><h2 id=\"test-h\">Test an event against this pattern</h2>")
          .append("<form method=\"post\" action=\"").append(action).append("\" hx-post=\"").append(action)
          .append("\" hx-target=\"#test-answer\" hx-swap=\"innerHTML\" class=\"stack\">").append(caller.csrfField())
          .append("<label for=\"event\">Event (JSON, with id, account, source, time, region, resources and detail-type)</label>")
          .append("<textarea id=\"event\" name=\"event\" rows=\"12\" required>")
          .append(Html.text(event == null ? sample(caller) : event)).append("</textarea>")
          .append("<button type=\"submit\" id=\"test-pattern\">Test pattern</button></form>")
          .append("<div id=\"test-answer\" aria-live=\"polite\">").append(tested == null ? "" : tested).append("</div></section>");
    }
    return b.toString();
  }

  /** A pattern indented for reading; as stored when it is not JSON. */
  static String pretty(String json) {
    try {
      return new JsonObject(json).encodePrettily();
    } catch (DecodeException | ClassCastException e) {
      return json;
    }
  }
}
