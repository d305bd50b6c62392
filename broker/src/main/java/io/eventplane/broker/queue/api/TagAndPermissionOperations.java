package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueAttributes;
import io.eventplane.broker.queue.domain.QueueErrors;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission (kept as the queue's Policy). */
final class TagAndPermissionOperations {
  private static final Set<String> ACTIONS = Set.of("*", "SendMessage", "ReceiveMessage", "DeleteMessage",
      "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
      "ListQueueTags");
  private final QueueOperations queueOps;
  private final Queues queues;

  TagAndPermissionOperations(QueueOperations queueOps, Queues queues) {
    this.queueOps = queueOps;
    this.queues = queues;
  }

  Future<JsonObject> tagQueue(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    if (!in.has("Tags")) throw QueueErrors.missingParameter("Tags");
    Map<String, String> tags = in.stringMap("Tags");
    if (tags.isEmpty()) throw QueueErrors.invalidParameter("Tags", "{}", "The request must contain at least one tag.");
    return queues.tag(q, tags).map(new JsonObject());
  }

  Future<JsonObject> untagQueue(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    if (!in.has("TagKeys")) throw QueueErrors.missingParameter("TagKeys");
    List<String> keys = in.stringList("TagKeys");
    return queues.untag(q, keys).map(new JsonObject());
  }

  Future<JsonObject> listQueueTags(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    JsonObject tags = new JsonObject();
    q.record().tags().forEach(tags::put);
    JsonObject out = new JsonObject();
    if (!tags.isEmpty()) out.put("Tags", tags);
    return Future.succeededFuture(out);
  }

  Future<JsonObject> addPermission(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    String label = in.requireString("Label");
    if (!label.matches("[A-Za-z0-9_-]{1,80}")) {
      throw QueueErrors.invalidParameter("Label", label, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.");
    }
    List<String> accounts = in.stringList("AWSAccountIds");
    List<String> actions = in.stringList("Actions");
    if (accounts.isEmpty()) throw QueueErrors.missingParameter("AWSAccountIds");
    if (actions.isEmpty()) throw QueueErrors.missingParameter("Actions");
    for (String a : actions) {
      if (!ACTIONS.contains(a)) throw QueueErrors.invalidParameter("ActionName", a, "Not a valid SQS action.");
    }
    JsonObject policy = policy(q);
    JsonArray statements = policy.getJsonArray("Statement");
    for (Object s : statements) {
      if (s instanceof JsonObject st && label.equals(st.getString("Sid"))) {
        throw QueueErrors.invalidParameter("Label", label, "Already exists.");
      }
    }
    Object principals = oneOrList(accounts.stream().map(a -> "arn:aws:iam::" + a + ":root").toList());
    Object sqsActions = oneOrList(actions.stream().map(a -> "SQS:" + a).toList());
    statements.add(new JsonObject().put("Sid", label).put("Effect", "Allow")
        .put("Principal", new JsonObject().put("AWS", principals)).put("Action", sqsActions).put("Resource", q.arn()));
    return queues.setPolicy(q, policy.encode()).map(new JsonObject());
  }

  Future<JsonObject> removePermission(Inputs in, RequestContext ctx) {
    Queue q = queueOps.queue(in, ctx);
    String label = in.requireString("Label");
    JsonObject policy = policy(q);
    JsonArray statements = policy.getJsonArray("Statement");
    boolean removed = false;
    JsonArray kept = new JsonArray();
    for (Object s : statements) {
      if (!(s instanceof JsonObject st && label.equals(st.getString("Sid")))) kept.add(s);
      else removed = true;
    }
    if (!removed) throw QueueErrors.invalidParameter("Label", label, "can't find label.");
    policy.put("Statement", kept);
    return queues.setPolicy(q, kept.isEmpty() ? null : policy.encode()).map(new JsonObject());
  }

  /** A policy element as SQS writes it: a single value as itself, several as a list. */
  private static Object oneOrList(List<String> values) {
    return values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values));
  }

  /**
   * The queue's policy, or the one AddPermission starts: policy language 2008-10-17 and the
   * {@code <arn>/SQSDefaultPolicy} id, as SQS writes it (LocalStack's AWS-validated
   * test_sqs_permission_lifecycle).
   */
  private static JsonObject policy(Queue q) {
    String existing = q.record().attributes().get(QueueAttributes.POLICY);
    JsonObject policy = existing == null || existing.isEmpty()
        ? new JsonObject().put("Version", "2008-10-17").put("Id", q.arn() + "/SQSDefaultPolicy")
        : new JsonObject(existing);
    if (!(policy.getValue("Statement") instanceof JsonArray)) {
      Object single = policy.getValue("Statement");
      JsonArray arr = new JsonArray();
      if (single != null) arr.add(single);
      policy.put("Statement", arr);
    }
    return policy;
  }
}
