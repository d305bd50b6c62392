package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.MoveTask;
import io.eventplane.broker.queue.domain.MoveTasks;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask. */
final class MoveTaskOperations {
  private final MoveTasks tasks;

  MoveTaskOperations(MoveTasks tasks) {
    this.tasks = tasks;
  }

  Future<JsonObject> start(Inputs in, RequestContext ctx) {
    String source = in.requireString("SourceArn");
    String destination = in.string("DestinationArn");
    Integer rate = in.integer("MaxNumberOfMessagesPerSecond", 1, 500);
    return tasks.start(source, destination, rate).map(t -> new JsonObject().put("TaskHandle", t.taskHandle()));
  }

  Future<JsonObject> list(Inputs in, RequestContext ctx) {
    String source = in.requireString("SourceArn");
    Integer max = in.integer("MaxResults", 1, 10);
    JsonArray results = new JsonArray();
    for (MoveTask t : tasks.list(source, max == null ? 1 : max)) {
      JsonObject r = new JsonObject()
          .put("Status", t.status())
          .put("SourceArn", t.sourceArn())
          .put("ApproximateNumberOfMessagesMoved", t.moved())
          .put("ApproximateNumberOfMessagesToMove", t.toMove())
          .put("StartedTimestamp", t.startedTimestamp());
      if (t.running()) r.put("TaskHandle", t.taskHandle());
      if (t.destinationArn() != null) r.put("DestinationArn", t.destinationArn());
      if (t.maxPerSecond() != null) r.put("MaxNumberOfMessagesPerSecond", t.maxPerSecond());
      if (t.failureReason() != null) r.put("FailureReason", t.failureReason());
      results.add(r);
    }
    return Future.succeededFuture(new JsonObject().put("Results", results));
  }

  Future<JsonObject> cancel(Inputs in, RequestContext ctx) {
    MoveTask t = tasks.cancel(in.requireString("TaskHandle"));
    return tasks.cancelled(t).map(c -> new JsonObject().put("ApproximateNumberOfMessagesMoved", c.moved()));
  }
}
