package io.eventplane.gateway.console;

import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.eventplane.gateway.logs.LogsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One function: its configuration (GetFunction), a form to invoke it with a JSON payload (Invoke
 * with {@code LogType=Tail}: the result, the function's error and the log tail it returns), its
 * recent invocations' logs (its CloudWatch Logs group {@code /aws/lambda/<name>}: the latest streams'
 * last events), its asynchronous queue's depth ({@link #ASYNC_QUEUE}) and settings
 * (GetFunctionEventInvokeConfig and the dead-letter queue) and its event source mappings
 * (ListEventSourceMappings).
 */
final class FunctionPage {
  static final String NAME = "[A-Za-z0-9_-]{1,64}";
  /** Log streams (function instances) whose latest events the page shows, and events per stream. */
  static final int LOG_STREAMS = 3;
  static final int LOG_EVENTS = 25;
  /**
   * The functions service's internal read of a function's asynchronous queue (no Lambda API reads it;
   * it has no REST route, so no client reaches it). Named here: the gateway does not depend on the
   * functions runtime.
   */
  static final String ASYNC_QUEUE = "eventplane:GetAsyncQueue";

  private FunctionPage() {}

  static String href(String name) {
    return ConsoleRoute.PREFIX + "functions/" + Html.url(name);
  }

  /** The page; {@code invoked} is the invoke form's outcome to show first (null when the page is just opened). */
  static Future<String> render(Caller caller, String name, Invoked invoked) {
    return caller.call(LambdaRestProtocol.BINDING, "GetFunction", new JsonObject().put("FunctionName", name)).compose(function -> {
      JsonObject config = function.getJsonObject("Configuration", new JsonObject());
      Future<JsonObject> invokeConfig = caller.call(LambdaRestProtocol.BINDING, "GetFunctionEventInvokeConfig",
          new JsonObject().put("FunctionName", name));
      Future<JsonObject> mappings = caller.call(LambdaRestProtocol.BINDING, "ListEventSourceMappings",
          new JsonObject().put("FunctionName", name).put("MaxItems", 50));
      Future<List<JsonObject>> logs = logTail(caller, "/aws/lambda/" + name);
      Future<JsonObject> queue = caller.call(LambdaRestProtocol.BINDING, ASYNC_QUEUE, new JsonObject().put("FunctionName", name));
      return Future.join(List.of(invokeConfig, mappings, logs, queue)).transform(ignored -> Future.succeededFuture(
          html(caller, name, config, invokeConfig, mappings, logs, queue, invoked)));
    });
  }

  /** The latest events of the group's most recently written streams, oldest first; empty when the group does not exist yet. */
  private static Future<List<JsonObject>> logTail(Caller caller, String group) {
    return caller.call(LogsJsonProtocol.BINDING, "DescribeLogStreams", new JsonObject().put("logGroupName", group)
        .put("orderBy", "LastEventTime").put("descending", true).put("limit", LOG_STREAMS)).compose(described -> {
          List<Future<JsonObject>> reads = new ArrayList<>();
          for (Object o : described.getJsonArray("logStreams", new JsonArray())) {
            String stream = ((JsonObject) o).getString("logStreamName");
            reads.add(caller.call(LogsJsonProtocol.BINDING, "GetLogEvents", new JsonObject().put("logGroupName", group)
                .put("logStreamName", stream).put("limit", LOG_EVENTS).put("startFromHead", false))
                .map(out -> out.put("stream", stream)));
          }
          return Future.join(reads).transform(done -> {
            List<JsonObject> events = new ArrayList<>();
            for (Future<JsonObject> read : reads) {
              if (read.failed()) continue;
              for (Object e : read.result().getJsonArray("events", new JsonArray())) {
                events.add(((JsonObject) e).copy().put("stream", read.result().getString("stream")));
              }
            }
            events.sort(Comparator.comparingLong(e -> e.getLong("timestamp", 0L)));
            return Future.succeededFuture(events);
          });
        }).recover(e -> e instanceof ConsoleFailure f && f.status() == 404 ? Future.succeededFuture(List.of()) : Future.failedFuture(e));
  }

  /** The invoke form's outcome: what was sent, and Invoke's answer or the service's refusal. */
  record Invoked(String payload, JsonObject output, ConsoleFailure refused) {}

  private static String html(Caller caller, String name, JsonObject config, Future<JsonObject> invokeConfig,
      Future<JsonObject> mappings, Future<List<JsonObject>> logs, Future<JsonObject> queue, Invoked invoked) {
    String base = href(name);
    StringBuilder b = new StringBuilder();

    b.append("<section aria-labelledby=\"invoke-h\"><h2 id=\"invoke-h\">Invoke</h2>")
        .append("<form method=\"post\" action=\"").append(base).append("/invoke\" class=\"stack\">").append(caller.csrfField())
        .append("<label for=\"payload\">Payload (JSON event)</label><textarea id=\"payload\" name=\"payload\" rows=\"6\">")
        .append(Html.text(invoked == null ? "{}" : invoked.payload())).append("</textarea>")
        .append("<button type=\"submit\" id=\"invoke\">Invoke</button></form>");
    if (invoked != null) b.append(result(invoked));
    b.append("</section>");

    b.append("<section aria-labelledby=\"configuration-h\"><h2 id=\"configuration-h\">Configuration</h2>");
    JsonObject shown = new JsonObject();
    for (String member : List.of("FunctionArn", "Runtime", "Handler", "MemorySize", "Timeout", "Role", "CodeSize", "CodeSha256",
        "LastModified", "State", "LastUpdateStatus", "PackageType", "Version", "Architectures", "Description")) {
      if (config.getValue(member) != null) shown.put(member, config.getValue(member) instanceof JsonArray a
          ? String.join(", ", a.stream().map(String::valueOf).toList()) : config.getValue(member));
    }
    b.append(Paging.table("configuration", "GetFunction's configuration", shown.getMap()));
    JsonObject variables = config.getJsonObject("Environment", new JsonObject()).getJsonObject("Variables", new JsonObject());
    if (!variables.isEmpty()) b.append(Paging.table("environment", "Environment variables", variables.getMap()));
    b.append("</section>");

    b.append("<section aria-labelledby=\"logs-h\"><h2 id=\"logs-h\">Recent invocations: logs</h2>");
    if (logs.failed()) {
      b.append("<p>Could not read the function's logs.</p>");
    } else if (logs.result().isEmpty()) {
      b.append("<p id=\"logs-none\">No logs yet: the log group <code>/aws/lambda/").append(Html.text(name))
          .append("</code> fills as the function runs.</p>");
    } else {
      b.append("<table id=\"logs\"><caption>The latest events of the ").append(LOG_STREAMS)
          .append(" most recently written log streams of <code>/aws/lambda/").append(Html.text(name))
          .append("</code>, oldest first</caption><thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Message</th>")
          .append("<th scope=\"col\">Log stream</th></tr></thead><tbody>");
      for (JsonObject e : logs.result()) {
        b.append("<tr><th scope=\"row\">").append(Html.text(Instant.ofEpochMilli(e.getLong("timestamp", 0L))))
            .append("</th><td><pre class=\"log\">").append(Html.text(e.getString("message", "").stripTrailing()))
            .append("</pre></td><td><code>").append(Html.text(e.getString("stream"))).append("</code></td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</section>");

    b.append("<section aria-labelledby=\"async-h\"><h2 id=\"async-h\">Asynchronous invocation</h2>");
    b.append("<p>Asynchronous queue: ");
    if (queue.failed() || !queue.result().getBoolean("Counted", false)) {
      b.append("<span id=\"async-queue\">not counted</span> (this node counts it only with metrics on)");
    } else {
      JsonObject q = queue.result();
      b.append("<strong id=\"async-queue\">").append(q.getInteger("Events", 0)).append("</strong> events waiting or running");
      if (q.getValue("OldestEventAgeSeconds") != null) {
        b.append(", the oldest queued ").append(Html.text(q.getValue("OldestEventAgeSeconds"))).append(" s ago");
      }
    }
    b.append("</p>");
    JsonObject dlq = config.getJsonObject("DeadLetterConfig");
    b.append("<p>Dead-letter queue: ").append(dlq == null || dlq.getString("TargetArn") == null ? "none"
        : "<code>" + Html.text(dlq.getString("TargetArn")) + "</code>").append("</p>");
    if (invokeConfig.succeeded()) {
      JsonObject c = invokeConfig.result();
      JsonObject settings = new JsonObject();
      if (c.getValue("MaximumRetryAttempts") != null) settings.put("MaximumRetryAttempts", c.getValue("MaximumRetryAttempts"));
      if (c.getValue("MaximumEventAgeInSeconds") != null) settings.put("MaximumEventAgeInSeconds", c.getValue("MaximumEventAgeInSeconds"));
      JsonObject destinations = c.getJsonObject("DestinationConfig", new JsonObject());
      String onSuccess = destinations.getJsonObject("OnSuccess", new JsonObject()).getString("Destination");
      String onFailure = destinations.getJsonObject("OnFailure", new JsonObject()).getString("Destination");
      if (onSuccess != null) settings.put("OnSuccess destination", onSuccess);
      if (onFailure != null) settings.put("OnFailure destination", onFailure);
      b.append(Paging.table("event-invoke-config", "Event invoke configuration", settings.getMap()));
    } else {
      b.append("<p id=\"event-invoke-config-none\">No event invoke configuration: Lambda's defaults apply ")
          .append("(2 retries, events kept up to 6 hours, no destinations).</p>");
    }
    b.append("</section>");

    b.append("<section aria-labelledby=\"mappings-h\"><h2 id=\"mappings-h\">Event source mappings</h2>");
    JsonArray listed = mappings.succeeded() ? mappings.result().getJsonArray("EventSourceMappings", new JsonArray()) : new JsonArray();
    if (listed.isEmpty()) {
      b.append("<p id=\"mappings-none\">No event source mappings.</p>");
    } else {
      b.append("<table id=\"mappings\"><caption>Event source mappings</caption><thead><tr><th scope=\"col\">Source</th>")
          .append("<th scope=\"col\">State</th><th scope=\"col\">Batch size</th><th scope=\"col\">Last result</th>")
          .append("<th scope=\"col\">UUID</th></tr></thead><tbody>");
      for (Object o : listed) {
        JsonObject m = (JsonObject) o;
        b.append("<tr><th scope=\"row\"><code>").append(Html.text(m.getString("EventSourceArn"))).append("</code></th><td>")
            .append(Html.text(m.getString("State"))).append("</td><td>").append(Html.text(m.getValue("BatchSize"))).append("</td><td>")
            .append(Html.text(m.getValue("LastProcessingResult", "-"))).append("</td><td><code>").append(Html.text(m.getString("UUID")))
            .append("</code></td></tr>");
      }
      b.append("</tbody></table>");
    }
    return b.append("</section>").toString();
  }

  /** Invoke's answer: the status, the function's error (if it failed), the payload it returned, the log tail. */
  private static String result(Invoked invoked) {
    StringBuilder b = new StringBuilder("<div id=\"invoke-result\" aria-live=\"polite\"><h3>Result</h3>");
    if (invoked.refused() != null) {
      return b.append("<p role=\"alert\" class=\"error\" id=\"invoke-error\"><strong>").append(Html.text(invoked.refused().error.code()))
          .append("</strong>: ").append(Html.text(invoked.refused().error.message())).append("</p></div>").toString();
    }
    JsonObject out = invoked.output();
    String error = out.getString("FunctionError");
    byte[] payload = out.getBinary("Payload", new byte[0]);
    b.append("<p>Status <strong id=\"invoke-status\">").append(out.getInteger("StatusCode", 200)).append("</strong>")
        .append(out.getString("ExecutedVersion") == null ? "" : ", version " + Html.text(out.getString("ExecutedVersion"))).append("</p>");
    if (error != null) {
      b.append("<p role=\"alert\" class=\"error\" id=\"invoke-error\">The function failed (<strong>").append(Html.text(error))
          .append("</strong>): its error is the payload below.</p>");
    }
    b.append("<h4>Payload</h4><pre class=\"result\" id=\"invoke-payload\">").append(Html.text(pretty(payload))).append("</pre>");
    String log = out.getString("LogResult");
    if (log != null) {
      String tail;
      try {
        tail = new String(Base64.getDecoder().decode(log), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        tail = log;
      }
      b.append("<h4>Log tail (the last 4 KB)</h4><pre class=\"log\" id=\"invoke-log\">").append(Html.text(tail)).append("</pre>");
    }
    return b.append("</div>").toString();
  }

  private static String pretty(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    try {
      Object json = io.vertx.core.json.Json.decodeValue(text);
      if (json instanceof JsonObject o) return o.encodePrettily();
      if (json instanceof JsonArray a) return a.encodePrettily();
    } catch (RuntimeException e) {
      // Not JSON: shown as it came.
    }
    return text;
  }
}
