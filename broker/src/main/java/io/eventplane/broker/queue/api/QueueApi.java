package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.broker.queue.domain.QueueDirectory;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.domain.Sending;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The SQS API: operation name to handler. */
public final class QueueApi {
  /** Eventplane's own read-only look at a queue's messages (the console's peek): see {@link PeekOperations}. */
  public static final String PEEK_MESSAGES = "eventplane:PeekMessages";

  private final Map<String, Operation> operations = new HashMap<>();

  public QueueApi(Queues queues, QueueDirectory directory, Sending sending, Receiving receiving, MoveTasks moveTasks,
      io.eventplane.common.config.QueueUrlStyle urlStyle) {
    QueueOperations q = new QueueOperations(queues, directory, new QueueUrls(urlStyle));
    MessageOperations m = new MessageOperations(q, sending, receiving);
    TagAndPermissionOperations t = new TagAndPermissionOperations(q, queues);
    MoveTaskOperations mt = new MoveTaskOperations(moveTasks);
    operations.put("CreateQueue", q::createQueue);
    operations.put("GetQueueUrl", q::getQueueUrl);
    operations.put("ListQueues", q::listQueues);
    operations.put("DeleteQueue", q::deleteQueue);
    operations.put("PurgeQueue", q::purgeQueue);
    operations.put("GetQueueAttributes", q::getQueueAttributes);
    operations.put("SetQueueAttributes", q::setQueueAttributes);
    operations.put("ListDeadLetterSourceQueues", q::listDeadLetterSourceQueues);
    operations.put("SendMessage", m::sendMessage);
    operations.put("SendMessageBatch", m::sendMessageBatch);
    operations.put("ReceiveMessage", m::receiveMessage);
    operations.put("DeleteMessage", m::deleteMessage);
    operations.put("DeleteMessageBatch", m::deleteMessageBatch);
    operations.put("ChangeMessageVisibility", m::changeMessageVisibility);
    operations.put("ChangeMessageVisibilityBatch", m::changeMessageVisibilityBatch);
    operations.put("TagQueue", t::tagQueue);
    operations.put("UntagQueue", t::untagQueue);
    operations.put("ListQueueTags", t::listQueueTags);
    operations.put("AddPermission", t::addPermission);
    operations.put("RemovePermission", t::removePermission);
    operations.put("StartMessageMoveTask", mt::start);
    operations.put("ListMessageMoveTasks", mt::list);
    operations.put("CancelMessageMoveTask", mt::cancel);
    operations.put(PEEK_MESSAGES, new PeekOperations(q, new io.eventplane.broker.queue.domain.Peeking(queues))::peekMessages);
  }

  public Set<String> operationNames() {
    return operations.keySet();
  }

  /** Runs the operation; domain failures come back as a failed future with a {@link ServiceException}. */
  public Future<JsonObject> handle(ApiRequest request) {
    Operation op = operations.get(request.operation());
    if (op == null) {
      return Future.failedFuture(new ServiceException("InvalidAction",
          "The action " + request.operation() + " is not valid for this endpoint."));
    }
    try {
      return op.apply(new Inputs(request.input()), request.context());
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }
}
