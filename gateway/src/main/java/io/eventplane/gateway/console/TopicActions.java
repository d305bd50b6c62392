package io.eventplane.gateway.console;

import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * The topic page's publish form, through SNS's Publish as an SDK calls it (validated, audited and
 * counted like one): message, optional subject, optional message attributes (a row with a name), and
 * for a FIFO topic its group and deduplication ids. Answers the topic page's query: {@code published=}
 * with the message id, or {@code failed=} with SNS's code and message.
 */
final class TopicActions {
  private TopicActions() {}

  static Future<String> publish(Caller caller, String name, MultiMap form) {
    JsonObject in = new JsonObject().put("TopicArn", Topics.arn(caller, name))
        .put("Message", form.get("message") == null ? "" : form.get("message"));
    if (form.get("subject") != null && !form.get("subject").isEmpty()) in.put("Subject", form.get("subject"));
    if (form.get("group") != null && !form.get("group").isEmpty()) in.put("MessageGroupId", form.get("group"));
    if (form.get("dedup") != null && !form.get("dedup").isEmpty()) in.put("MessageDeduplicationId", form.get("dedup"));
    JsonObject attributes = new JsonObject();
    for (int i = 0; i < TopicPage.ATTRIBUTE_ROWS; i++) {
      String attribute = form.get("attr-name-" + i);
      if (attribute == null || attribute.isBlank()) continue;
      String type = form.get("attr-type-" + i);
      attributes.put(attribute.trim(), new JsonObject().put("DataType", type == null || type.isEmpty() ? "String" : type)
          .put("StringValue", form.get("attr-value-" + i) == null ? "" : form.get("attr-value-" + i)));
    }
    if (!attributes.isEmpty()) in.put("MessageAttributes", attributes);
    return caller.call(SnsQueryProtocol.BINDING, "Publish", in).map(out -> "published=" + Html.url(out.getString("MessageId")))
        .recover(e -> e instanceof ConsoleFailure f
            ? Future.succeededFuture("failed=" + Html.url(f.error.code() + ": " + f.error.message()))
            : Future.failedFuture(e));
  }
}
