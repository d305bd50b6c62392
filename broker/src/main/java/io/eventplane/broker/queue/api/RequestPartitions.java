package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;

/**
 * The partition an SQS request is about, so that it can be sent to the node that owns it: the
 * queue named by QueueUrl, QueueName, SourceArn or TaskHandle. {@link #ANY} when the request
 * names no queue (ListQueues gathers from every node by itself) or names it so badly that any
 * node answers it with the validation error.
 */
public final class RequestPartitions {
  public static final int ANY = io.eventplane.common.partition.PartitionRouter.ANY;

  private RequestPartitions() {}

  public static int of(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    try {
      switch (request.operation()) {
        case "CreateQueue":
          return byName(account, in.getValue("QueueName"));
        case "GetQueueUrl": {
          Object owner = in.getValue("QueueOwnerAWSAccountId");
          return byName(owner instanceof String s ? s : account, in.getValue("QueueName"));
        }
        case "ListQueues":
          return ANY;
        case "StartMessageMoveTask":
        case "ListMessageMoveTasks":
          return byArn(in.getValue("SourceArn"));
        case "CancelMessageMoveTask": {
          Object handle = in.getValue("TaskHandle");
          return handle instanceof String h ? byArn(MoveTasks.sourceArnOf(h)) : ANY;
        }
        default: {
          Object url = in.getValue("QueueUrl");
          if (!(url instanceof String u)) return ANY;
          QueueUrls.Address a = QueueUrls.parse(u, request.context());
          return Queues.partitionOf(a.accountId(), a.name());
        }
      }
    } catch (ServiceException | ClassCastException e) {
      return ANY;
    }
  }

  private static int byName(String account, Object name) {
    return name instanceof String n ? Queues.partitionOf(account, n) : ANY;
  }

  private static int byArn(Object arn) {
    QueueArn a = arn instanceof String s ? QueueArn.parse(s) : null;
    return a == null ? ANY : Queues.partitionOf(a.accountId(), a.name());
  }
}
