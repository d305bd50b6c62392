package io.eventplane.gateway.authz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon SQS": every action but ListQueues is on a
 * queue, {@code arn:aws:sqs:region:account:name}, named by QueueUrl (whose path gives its owner),
 * QueueName, SourceArn or the move task's handle. A batch needs the action of its single form.
 */
final class SqsActions {
  private SqsActions() {}

  static final ServiceActions TABLE = ActionTable.builder("sqs")
      .same(SqsActions::byUrl, "AddPermission", "ChangeMessageVisibility", "DeleteMessage", "DeleteQueue",
          "GetQueueAttributes", "ListDeadLetterSourceQueues", "ListQueueTags", "PurgeQueue", "ReceiveMessage",
          "RemovePermission", "SendMessage", "SetQueueAttributes", "TagQueue", "UntagQueue")
      .rule("SendMessageBatch", (c, a) -> List.of(Target.of("sqs:SendMessage", byUrl(c, a))))
      .rule("DeleteMessageBatch", (c, a) -> List.of(Target.of("sqs:DeleteMessage", byUrl(c, a))))
      .rule("ChangeMessageVisibilityBatch", (c, a) -> List.of(Target.of("sqs:ChangeMessageVisibility", byUrl(c, a))))
      .rule("CreateQueue", (c, a) -> {
        String queue = a.of("sqs", orAny(c.string("QueueName")));
        List<Target> targets = new ArrayList<>(2);
        targets.add(Target.of("sqs:CreateQueue", queue));
        // Tags on creation need the tagging permission too (SQS Developer Guide, "Tagging on creation").
        if (c.input().getValue("tags") instanceof io.vertx.core.json.JsonObject t && !t.isEmpty()) {
          targets.add(Target.of("sqs:TagQueue", queue));
        }
        return targets;
      })
      .rule("GetQueueUrl", (c, a) -> {
        String owner = c.string("QueueOwnerAWSAccountId");
        return List.of(Target.of("sqs:GetQueueUrl",
            new Arns(a.region(), owner != null ? owner : a.account()).of("sqs", orAny(c.string("QueueName")))));
      })
      .anyResource("ListQueues")
      .same((c, a) -> orArn(c.string("SourceArn"), a), "StartMessageMoveTask", "ListMessageMoveTasks")
      .same((c, a) -> orArn(sourceArnOfHandle(c.string("TaskHandle")), a), "CancelMessageMoveTask")
      .build();

  /** The queue a QueueUrl names: {@code http(s)://host/account/name}. */
  static String byUrl(ApiCall call, Arns arns) {
    String url = call.string("QueueUrl");
    if (url == null) return arns.of("sqs", "*");
    int query = url.indexOf('?');
    String path = query < 0 ? url : url.substring(0, query);
    if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
    int last = path.lastIndexOf('/');
    String name = path.substring(last + 1);
    int before = last > 0 ? path.lastIndexOf('/', last - 1) : -1;
    String owner = before >= 0 ? path.substring(before + 1, last) : null;
    boolean account = owner != null && owner.length() == 12 && owner.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    return new Arns(arns.region(), account ? owner : arns.account()).of("sqs", name.isEmpty() ? "*" : name);
  }

  /** The source queue's ARN a move task's handle carries (base64 JSON, as the broker issues it), or null. */
  static String sourceArnOfHandle(String handle) {
    if (handle == null) return null;
    try {
      String json = new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8);
      if (!json.startsWith("{")) return null;
      return new io.vertx.core.json.JsonObject(json).getValue("sourceArn") instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String orArn(String arn, Arns arns) {
    return arn != null ? arn : arns.of("sqs", "*");
  }

  private static String orAny(String name) {
    return name != null ? name : "*";
  }
}
