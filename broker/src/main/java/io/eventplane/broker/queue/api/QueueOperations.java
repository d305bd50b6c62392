package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueDirectory;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue, Get/SetQueueAttributes, ListDeadLetterSourceQueues. */
final class QueueOperations {
  private final Queues queues;
  private final QueueDirectory directory;
  private final QueueUrls urls;

  QueueOperations(Queues queues, QueueDirectory directory, QueueUrls urls) {
    this.queues = queues;
    this.directory = directory;
    this.urls = urls;
  }

  Queue queue(Inputs in, RequestContext ctx) {
    QueueUrls.Address a = QueueUrls.parse(in.requireString("QueueUrl"), ctx);
    return queues.require(a.accountId(), a.region(), a.name());
  }

  String url(RequestContext ctx, Queue q) {
    return urls.of(ctx.baseUrl(), q.record().region(), q.accountId(), q.name());
  }

  Future<JsonObject> createQueue(Inputs in, RequestContext ctx) {
    String name = in.requireString("QueueName");
    Map<String, String> attributes = in.stringMap("Attributes");
    Map<String, String> tags = in.stringMap("tags");
    return queues.create(ctx.accountId(), ctx.region(), name, attributes, tags).map(q -> new JsonObject().put("QueueUrl", url(ctx, q)));
  }

  Future<JsonObject> getQueueUrl(Inputs in, RequestContext ctx) {
    String name = in.requireString("QueueName");
    String owner = in.string("QueueOwnerAWSAccountId");
    Queue q = queues.require(owner == null ? ctx.accountId() : owner, ctx.region(), name);
    return Future.succeededFuture(new JsonObject().put("QueueUrl", url(ctx, q)));
  }

  /** Gathers the names from every node (queues live in partitions all over the cluster), then pages. */
  Future<JsonObject> listQueues(Inputs in, RequestContext ctx) {
    Integer max = in.integer("MaxResults", 1, 1000);
    String after = decodeToken(in.string("NextToken"));
    return directory.queueNames(ctx.accountId(), ctx.region(), in.string("QueueNamePrefix")).map(names -> {
      JsonArray urls = new JsonArray();
      String last = null;
      int limit = max == null ? 1000 : max;
      boolean more = false;
      for (String name : names) {
        if (after != null && name.compareTo(after) <= 0) continue;
        if (urls.size() == limit) {
          more = true;
          break;
        }
        urls.add(this.urls.of(ctx.baseUrl(), ctx.region(), ctx.accountId(), name));
        last = name;
      }
      JsonObject out = new JsonObject();
      if (!urls.isEmpty()) out.put("QueueUrls", urls);
      if (more && max != null) out.put("NextToken", encodeToken(last));
      return out;
    });
  }

  Future<JsonObject> deleteQueue(Inputs in, RequestContext ctx) {
    return queues.delete(queue(in, ctx)).map(new JsonObject());
  }

  Future<JsonObject> purgeQueue(Inputs in, RequestContext ctx) {
    return queues.purge(queue(in, ctx)).map(new JsonObject());
  }

  Future<JsonObject> getQueueAttributes(Inputs in, RequestContext ctx) {
    Queue q = queue(in, ctx);
    List<String> names = in.stringList("AttributeNames");
    Map<String, String> values = queues.attributes(q, names);
    JsonObject attrs = new JsonObject();
    values.forEach(attrs::put);
    JsonObject out = new JsonObject();
    if (!attrs.isEmpty()) out.put("Attributes", attrs);
    return Future.succeededFuture(out);
  }

  Future<JsonObject> setQueueAttributes(Inputs in, RequestContext ctx) {
    Queue q = queue(in, ctx);
    if (!in.has("Attributes")) throw io.eventplane.broker.queue.domain.QueueErrors.missingParameter("Attributes");
    return queues.setAttributes(q, in.stringMap("Attributes")).map(new JsonObject());
  }

  Future<JsonObject> listDeadLetterSourceQueues(Inputs in, RequestContext ctx) {
    Queue dlq = queue(in, ctx);
    Integer max = in.integer("MaxResults", 1, 1000);
    String after = decodeToken(in.string("NextToken"));
    return directory.deadLetterSourceNames(dlq.arn()).map(names -> {
      JsonArray urls = new JsonArray();
      String last = null;
      boolean more = false;
      int limit = max == null ? 1000 : max;
      for (String name : names) {
        if (after != null && name.compareTo(after) <= 0) continue;
        if (urls.size() == limit) {
          more = true;
          break;
        }
        urls.add(this.urls.of(ctx.baseUrl(), dlq.record().region(), dlq.accountId(), name));
        last = name;
      }
      JsonObject out = new JsonObject().put("queueUrls", urls);
      if (more && max != null) out.put("NextToken", encodeToken(last));
      return out;
    });
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    if (token == null || token.isEmpty()) return null;
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw io.eventplane.broker.queue.domain.QueueErrors.invalidParameter("NextToken", token, "Invalid token.");
    }
  }
}
