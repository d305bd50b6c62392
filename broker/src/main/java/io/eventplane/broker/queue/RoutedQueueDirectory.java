package io.eventplane.broker.queue;

import io.eventplane.broker.queue.domain.MovedMessage;
import io.eventplane.broker.queue.domain.Queue;
import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.broker.queue.domain.QueueDirectory;
import io.eventplane.broker.queue.domain.QueueErrors;
import io.eventplane.broker.queue.domain.QueueFacts;
import io.eventplane.broker.queue.domain.Queues;
import io.eventplane.broker.queue.domain.Receiving;
import io.eventplane.broker.queue.store.MessageCodec;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.Placement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@link QueueDirectory} of a node: answers from its own registry when the queue's partition is
 * here, else asks the partition's owner with an internal operation; lists gather from every node.
 * The internal operations are answered by {@link #handleInternal}.
 */
final class RoutedQueueDirectory implements QueueDirectory {
  static final String FACTS = "eventplane:QueueFacts";
  static final String ENQUEUE_MOVED = "eventplane:EnqueueMoved";
  static final String QUEUE_NAMES = "eventplane:QueueNames";
  static final String DEAD_LETTER_SOURCES = "eventplane:DeadLetterSourceNames";

  private final Queues queues;
  private final Receiving receiving;
  private final Placement placement;
  private final NodeCalls calls;
  private final String region;

  RoutedQueueDirectory(Queues queues, Receiving receiving, Placement placement, NodeCalls calls, String region) {
    this.queues = queues;
    this.receiving = receiving;
    this.placement = placement;
    this.calls = calls;
    this.region = region;
  }

  static boolean isInternal(String operation) {
    return operation.startsWith("eventplane:");
  }

  @Override
  public Future<QueueFacts> facts(String arn) {
    QueueArn a = QueueArn.parse(arn);
    if (a == null) return Future.succeededFuture(null);
    return ask(a, FACTS, new JsonObject().put("arn", arn)).map(out ->
        out.getBoolean("exists") ? new QueueFacts(out.getBoolean("fifo"), out.getString("redriveAllowPolicy")) : null);
  }

  @Override
  public Future<Void> enqueueMoved(String arn, List<MovedMessage> messages) {
    QueueArn a = QueueArn.parse(arn);
    if (a == null) return Future.failedFuture(QueueErrors.queueDoesNotExist());
    JsonArray list = new JsonArray();
    for (MovedMessage m : messages) {
      list.add(new JsonObject().put("message", MessageCodec.encode(m.message())).put("size", m.size()));
    }
    return ask(a, ENQUEUE_MOVED, new JsonObject().put("arn", arn).put("messages", list)).mapEmpty();
  }

  @Override
  public Future<List<String>> deadLetterSourceNames(String dlqArn) {
    return gather(DEAD_LETTER_SOURCES, new JsonObject().put("arn", dlqArn));
  }

  @Override
  public Future<List<String>> queueNames(String account, String region, String prefix) {
    return gather(QUEUE_NAMES, new JsonObject().put("account", account).put("region", region).put("prefix", prefix));
  }

  private Future<JsonObject> ask(QueueArn a, String operation, JsonObject input) {
    int partition = Queues.partitionOf(a.accountId(), a.name());
    String owner = placement.ownerOf(partition);
    if (owner == null) {
      return Future.failedFuture(new ServiceException(ServiceError.unavailable("No node serves the queue's partition right now.")));
    }
    if (owner.equals(placement.self())) return handleInternal(operation, input);
    return calls.call(owner, internalRequest(operation, input));
  }

  private Future<List<String>> gather(String operation, JsonObject input) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String node : placement.members()) {
      answers.add(node.equals(placement.self()) ? handleInternal(operation, input) : calls.call(node, internalRequest(operation, input)));
    }
    return Future.all(answers).map(all -> {
      TreeSet<String> names = new TreeSet<>();
      for (Future<JsonObject> f : answers) {
        f.result().getJsonArray("names").forEach(n -> names.add((String) n));
      }
      return new ArrayList<>(names);
    });
  }

  private ApiRequest internalRequest(String operation, JsonObject input) {
    return new ApiRequest(operation, input, new RequestContext("internal", region, Ids.uuid(), "http://internal"));
  }

  /** Answers an internal operation from this node's registry. Runs on the queue service's context. */
  Future<JsonObject> handleInternal(String operation, JsonObject in) {
    try {
      switch (operation) {
        case FACTS: {
          String arn = in.getString("arn");
          QueueFacts f = queues.facts(arn);
          if (f == null && !queues.ownsArn(arn)) throw Queues.notHere();
          JsonObject out = new JsonObject().put("exists", f != null);
          if (f != null) out.put("fifo", f.fifo()).put("redriveAllowPolicy", f.redriveAllowPolicyJson());
          return Future.succeededFuture(out);
        }
        case ENQUEUE_MOVED: {
          String arn = in.getString("arn");
          Queue target = queues.byArn(arn);
          if (target == null) throw queues.ownsArn(arn) ? QueueErrors.queueDoesNotExist() : Queues.notHere();
          List<MovedMessage> moved = new ArrayList<>();
          for (Object o : in.getJsonArray("messages")) {
            JsonObject m = (JsonObject) o;
            moved.add(new MovedMessage(MessageCodec.decode(m.getBinary("message")), m.getInteger("size")));
          }
          return receiving.acceptMoved(target, moved).map(new JsonObject());
        }
        case QUEUE_NAMES: {
          JsonArray names = new JsonArray();
          for (Queue q : queues.list(in.getString("account"), in.getString("region"), in.getString("prefix"))) names.add(q.name());
          return Future.succeededFuture(new JsonObject().put("names", names));
        }
        case DEAD_LETTER_SOURCES: {
          JsonArray names = new JsonArray();
          for (Queue q : queues.deadLetterSources(in.getString("arn"))) names.add(q.name());
          return Future.succeededFuture(new JsonObject().put("names", names));
        }
        default:
          return Future.failedFuture(new ServiceException("InvalidAction", "Unknown internal operation " + operation));
      }
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }
}
