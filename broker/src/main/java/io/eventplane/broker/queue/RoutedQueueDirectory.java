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
import io.eventplane.common.partition.LaneCalls;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.Placement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@link QueueDirectory} of one lane: answers from the lane's own registry when the queue's
 * partition is the lane's, asks the owning lane of this node over the local bus, or asks the
 * partition's owner node (at the lane that owns it there) with an internal operation; lists
 * gather from every lane of every node. The internal operations are answered by
 * {@link #handleInternal}.
 */
final class RoutedQueueDirectory implements QueueDirectory {
  static final String FACTS = "eventplane:QueueFacts";
  static final String ENQUEUE_MOVED = "eventplane:EnqueueMoved";
  static final String QUEUE_NAMES = "eventplane:QueueNames";
  static final String DEAD_LETTER_SOURCES = "eventplane:DeadLetterSourceNames";
  /** The queue names of the lane that receives it only (QUEUE_NAMES gathers them from every lane of a node). */
  static final String LANE_QUEUE_NAMES = "eventplane:LaneQueueNames";
  static final String LANE_DEAD_LETTER_SOURCES = "eventplane:LaneDeadLetterSourceNames";

  private final Queues queues;
  private final Receiving receiving;
  private final Placement placement;
  private final NodeCalls calls;
  private final LaneCalls lanes;
  private final int lane;
  private final String region;

  RoutedQueueDirectory(Queues queues, Receiving receiving, Placement placement, NodeCalls calls, LaneCalls lanes, int lane,
      String region) {
    this.queues = queues;
    this.receiving = receiving;
    this.placement = placement;
    this.calls = calls;
    this.lanes = lanes;
    this.lane = lane;
    this.region = region;
  }

  static boolean isInternal(String operation) {
    // The console's peek names its queue by QueueUrl, as a client call does: routed and answered like one.
    return operation.startsWith("eventplane:") && !operation.equals(io.eventplane.broker.queue.api.QueueApi.PEEK_MESSAGES);
  }

  /** Internal operations about the one queue their {@code arn} names, answered by the lane that owns it. */
  static boolean isAboutOneQueue(String operation) {
    return FACTS.equals(operation) || ENQUEUE_MOVED.equals(operation);
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
      list.add(new JsonObject().put("message", MessageCodec.encode(m.message())).put("size", m.size())
          .put("receiveCount", m.receiveCount()));
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
    if (!owner.equals(placement.self())) return calls.call(owner, partition, internalRequest(operation, input));
    int owning = lanes.laneOf(partition);
    return owning == lane ? handleInternal(operation, input) : lanes.call(owning, internalRequest(operation, input));
  }

  /** A node-wide question to every node: this one answers from all its lanes, the others likewise. */
  private Future<List<String>> gather(String operation, JsonObject input) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String node : placement.members()) {
      answers.add(node.equals(placement.self()) ? handleInternal(operation, input) : calls.call(node, internalRequest(operation, input)));
    }
    return Future.all(answers).map(all -> new ArrayList<>(namesOf(answers.stream().map(Future::result).toList())));
  }

  /** Asks this node's every lane (this one directly, the others over the local bus) and merges the names. */
  private Future<JsonObject> gatherLanes(String laneOperation, JsonObject input) {
    return lanes.everyLane(lane, internalRequest(laneOperation, input), () -> handleInternal(laneOperation, input))
        .map(answers -> new JsonObject().put("names", new JsonArray(new ArrayList<>(namesOf(answers)))));
  }

  private static TreeSet<String> namesOf(List<JsonObject> answers) {
    TreeSet<String> names = new TreeSet<>();
    for (JsonObject a : answers) a.getJsonArray("names").forEach(n -> names.add((String) n));
    return names;
  }

  private ApiRequest internalRequest(String operation, JsonObject input) {
    return new ApiRequest(operation, input, new RequestContext("internal", region, Ids.uuid(), "http://internal"));
  }

  /** Answers an internal operation from this lane's registry (node-wide lists from every lane). Runs on the lane's context. */
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
            // A node of an older version sends no receiveCount: the message starts afresh.
            moved.add(new MovedMessage(MessageCodec.decode(m.getBinary("message")), m.getInteger("size"),
                m.getInteger("receiveCount", 0)));
          }
          return receiving.acceptMoved(target, moved).map(new JsonObject());
        }
        case QUEUE_NAMES:
          return gatherLanes(LANE_QUEUE_NAMES, in);
        case DEAD_LETTER_SOURCES:
          return gatherLanes(LANE_DEAD_LETTER_SOURCES, in);
        case LANE_QUEUE_NAMES: {
          JsonArray names = new JsonArray();
          for (Queue q : queues.list(in.getString("account"), in.getString("region"), in.getString("prefix"))) names.add(q.name());
          return Future.succeededFuture(new JsonObject().put("names", names));
        }
        case LANE_DEAD_LETTER_SOURCES: {
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
