package io.eventplane.gateway.console;

import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a queue page's forms do, each through the SQS operation an SDK would call (SendMessage,
 * PurgeQueue, StartMessageMoveTask), so it is validated, audited and counted like one. Each answers
 * the query string of the page to go back to ({@code sent=}, {@code purged=}, {@code redrive=} or
 * {@code failed=} with the error's code and message).
 */
final class QueueActions {
  private QueueActions() {}

  static Future<String> send(Caller caller, String name, MultiMap form) {
    return QueuePage.urlOf(caller, name).compose(url -> {
      JsonObject in = new JsonObject().put("QueueUrl", url).put("MessageBody", form.get("body") == null ? "" : form.get("body"));
      String delay = form.get("delay");
      if (delay != null && !delay.isBlank()) {
        try {
          in.put("DelaySeconds", Integer.parseInt(delay.trim()));
        } catch (NumberFormatException e) {
          in.put("DelaySeconds", delay);
        }
      }
      if (form.get("group") != null && !form.get("group").isEmpty()) in.put("MessageGroupId", form.get("group"));
      if (form.get("dedup") != null && !form.get("dedup").isEmpty()) in.put("MessageDeduplicationId", form.get("dedup"));
      return answered(caller.call(SqsJsonProtocol.BINDING, "SendMessage", in), out -> "sent=" + Html.url(out.getString("MessageId")));
    });
  }

  static Future<String> purge(Caller caller, String name, MultiMap form) {
    if (!name.equals(form.get("confirm"))) {
      return Future.succeededFuture("failed=" + Html.url("Not purged: the purge was not confirmed."));
    }
    return QueuePage.urlOf(caller, name).compose(url -> answered(
        caller.call(SqsJsonProtocol.BINDING, "PurgeQueue", new JsonObject().put("QueueUrl", url)), out -> "purged=" + Html.url(name)));
  }

  /** StartMessageMoveTask from this dead-letter queue back to the queues its messages came from. */
  static Future<String> redrive(Caller caller, String name) {
    return QueuePage.urlOf(caller, name).compose(url -> caller.call(SqsJsonProtocol.BINDING, "GetQueueAttributes",
        new JsonObject().put("QueueUrl", url).put("AttributeNames", new JsonArray().add("QueueArn")))).compose(attrs -> answered(
            caller.call(SqsJsonProtocol.BINDING, "StartMessageMoveTask", new JsonObject()
                .put("SourceArn", attrs.getJsonObject("Attributes").getString("QueueArn"))),
            out -> "redrive=" + Html.url(out.getString("TaskHandle"))));
  }

  /** A service's refusal becomes the page's message; anything else fails the request. */
  private static Future<String> answered(Future<JsonObject> call, java.util.function.Function<JsonObject, String> ok) {
    return call.map(ok).recover(e -> e instanceof ConsoleFailure f
        ? Future.succeededFuture("failed=" + Html.url(f.error.code() + ": " + f.error.message()))
        : Future.failedFuture(e));
  }
}
