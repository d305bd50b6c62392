package io.eventplane.broker.queue.domain;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Redrive: StartMessageMoveTask moves the messages a dead-letter queue holds when the task starts,
 * back to the queue each came from or to a named queue, at most MaxNumberOfMessagesPerSecond.
 *
 * <p>A task lives in its source queue's partition: its progress is written with every step, so
 * whichever node owns the partition (after a restart or a failover) resumes it where it stopped.
 * A step appends the messages to their targets first (through the {@link QueueDirectory}: a target
 * may be on another node) and deletes them from the source after: a crash in between repeats a
 * message, never loses one.
 */
public final class MoveTasks {
  private static final Logger LOG = Logger.getLogger(MoveTasks.class.getName());
  private static final int UNLIMITED_PER_STEP = 500;
  private static final long STEP_MILLIS = 1000;
  private static final long UNLIMITED_STEP_MILLIS = 100;

  private final Queues queues;
  private final Receiving receiving;
  private final Map<String, MoveTask> tasks = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();

  public MoveTasks(Queues queues, Receiving receiving) {
    this.queues = queues;
    this.receiving = receiving;
  }

  /** Takes the tasks of a partition this node now owns; running ones resume. */
  public void restore(List<MoveTask> stored) {
    for (MoveTask t : stored) {
      tasks.put(t.taskHandle(), t);
      if (t.running()) schedule(t.taskHandle(), 0);
    }
  }

  /** Forgets the tasks of a partition this node gave up. */
  public void unload(int partition) {
    tasks.values().removeIf(t -> {
      if (partitionOf(t) != partition) return false;
      Long timer = timers.remove(t.taskHandle());
      if (timer != null) queues.vertx().cancelTimer(timer);
      return true;
    });
  }

  public void clear() {
    timers.values().forEach(queues.vertx()::cancelTimer);
    timers.clear();
    tasks.clear();
  }

  private static int partitionOf(MoveTask t) {
    QueueArn a = QueueArn.parse(t.sourceArn());
    return Queues.partitionOf(a.accountId(), a.name());
  }

  /**
   * A task handle as SQS writes it: the base64 of {@code {"taskId":"<uuid>","sourceArn":"<arn>"}}
   * (the form AWS accepted as a well-formed handle in LocalStack's AWS-validated
   * test_cancel_with_invalid_source_arn_in_task_handle and test_cancel_with_invalid_task_id_in_task_handle).
   */
  static String handleOf(String taskId, String sourceArn) {
    String doc = new io.vertx.core.json.JsonObject().put("taskId", taskId).put("sourceArn", sourceArn).encode();
    return Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The source queue ARN a task handle names, or null when the handle is not a task handle. Handles
   * of tasks stored by an earlier version (url-safe base64 of {@code <uuid>:<arn>}) are read too.
   */
  public static String sourceArnOf(String handle) {
    if (handle == null) return null;
    try {
      String decoded = new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8);
      if (decoded.startsWith("{")) {
        io.vertx.core.json.JsonObject doc = new io.vertx.core.json.JsonObject(decoded);
        Object arn = doc.getValue("sourceArn");
        return doc.getValue("taskId") instanceof String && arn instanceof String a && QueueArn.parse(a) != null ? a : null;
      }
    } catch (IllegalArgumentException | io.vertx.core.json.DecodeException | ClassCastException e) {
      // not this form; maybe an earlier version's
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String arn = colon < 0 ? null : decoded.substring(colon + 1);
      return QueueArn.parse(arn) == null ? null : arn;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public Future<MoveTask> start(String sourceArn, String destinationArn, Integer maxPerSecond) {
    Queue source = queues.byArn(sourceArn);
    if (source == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    if (maxPerSecond != null && (maxPerSecond < 1 || maxPerSecond > 500)) {
      throw QueueErrors.invalidParameter("MaxNumberOfMessagesPerSecond", maxPerSecond, "Must be between 1 and 500.");
    }
    Future<List<String>> isDeadLetterQueue = queues.directory().deadLetterSourceNames(sourceArn);
    Future<QueueFacts> destination = destinationArn == null ? Future.succeededFuture() : queues.directory().facts(destinationArn);
    return Future.all(isDeadLetterQueue, destination).compose(checked -> {
      if (isDeadLetterQueue.result().isEmpty()) {
        throw QueueErrors.invalidParameter("Source queue must be configured as a Dead Letter Queue.");
      }
      if (destinationArn != null) {
        QueueFacts d = destination.result();
        if (d == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the DestinationArn parameter doesn't exist.");
        if (d.fifo() != source.fifo()) throw QueueErrors.invalidParameter("The source queue and destination queue must be of the same queue type.");
      }
      if (source.deleted || source.released) throw Queues.notHere();
      for (MoveTask t : tasks.values()) {
        if (t.sourceArn().equals(sourceArn) && t.running()) {
          throw QueueErrors.invalidParameter("There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
        }
      }
      long now = queues.clock().millis();
      source.index().promote(now);
      String handle = handleOf(Ids.uuid(), sourceArn);
      MoveTask task = new MoveTask(handle, sourceArn, destinationArn, maxPerSecond, MoveTask.RUNNING, 0,
          source.index().size(), now, null, source.index().lastSeq());
      tasks.put(handle, task);
      Batch b = queues.store().batch();
      queues.store().putMoveTask(b, source.partition(), task);
      return queues.commit(source, b).onSuccess(v -> schedule(handle, 0)).map(task);
    });
  }

  /**
   * The running task a handle names, refused as SQS refuses it: a handle that is not one,
   * InvalidParameterValue; a source queue that does not exist, or no such running task,
   * ResourceNotFoundException (test_cancel_with_invalid_task_handle and the two above).
   */
  public MoveTask cancel(String handle) {
    String sourceArn = sourceArnOf(handle);
    if (sourceArn == null) throw QueueErrors.invalidParameter("Value for parameter TaskHandle is invalid.");
    if (queues.byArn(sourceArn) == null) {
      throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    }
    MoveTask t = tasks.get(handle);
    if (t == null || !t.running()) throw new ServiceException("ResourceNotFoundException", "Task does not exist.");
    return t;
  }

  public Future<MoveTask> cancelled(MoveTask t) {
    MoveTask c = t.withProgress(t.moved(), MoveTask.CANCELLED, null);
    tasks.put(c.taskHandle(), c);
    Long timer = timers.remove(c.taskHandle());
    if (timer != null) queues.vertx().cancelTimer(timer);
    Batch b = queues.store().batch();
    queues.store().putMoveTask(b, partitionOf(c), c);
    return queues.commit(partitionOf(c), b).map(c);
  }

  /** The most recent tasks of a source queue first. */
  public List<MoveTask> list(String sourceArn, int max) {
    if (queues.byArn(sourceArn) == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    List<MoveTask> out = new ArrayList<>();
    for (MoveTask t : tasks.values()) if (t.sourceArn().equals(sourceArn)) out.add(t);
    out.sort(Comparator.comparingLong(MoveTask::startedTimestamp).reversed());
    return out.size() > max ? out.subList(0, max) : out;
  }

  private void schedule(String handle, long delayMillis) {
    Long previous = timers.remove(handle);
    if (previous != null) queues.vertx().cancelTimer(previous);
    timers.put(handle, queues.vertx().setTimer(Math.max(1, delayMillis), id -> {
      timers.remove(handle);
      MoveTask task = tasks.get(handle);
      if (task == null || !task.running()) return;
      step(task).onFailure(e -> {
        LOG.log(Level.WARNING, "message move task step failed; retrying", e);
        MoveTask now = tasks.get(handle);
        if (now != null && now.running()) schedule(handle, STEP_MILLIS);
      });
    }));
  }

  private Future<Void> step(MoveTask task) {
    Queue source = queues.byArn(task.sourceArn());
    long now = queues.clock().millis();
    if (source == null) {
      return queues.ownsArn(task.sourceArn()) ? finish(task, MoveTask.FAILED, "AWS.SimpleQueueService.NonExistentQueue")
          : Future.succeededFuture();
    }
    int limit = task.maxPerSecond() == null ? UNLIMITED_PER_STEP : task.maxPerSecond();
    source.index().promote(now);
    List<MessageState> picked = source.index().select(
        m -> m.seq <= task.lastSeq() && m.status == MessageState.Status.VISIBLE, limit);
    if (picked.isEmpty()) return finish(task, MoveTask.COMPLETED, null);
    for (MessageState m : picked) source.index().remove(m, now);
    return queues.readMessages(source, picked).compose(messages -> {
      Map<String, List<MovedMessage>> byTarget = new LinkedHashMap<>();
      Map<String, List<MessageState>> statesByTarget = new HashMap<>();
      List<MessageState> putBack = new ArrayList<>();
      for (int i = 0; i < picked.size(); i++) {
        StoredMessage msg = messages.get(i);
        MessageState m = picked.get(i);
        if (msg == null) continue;
        String targetArn = task.destinationArn() != null ? task.destinationArn() : msg.deadLetterSourceArn();
        if (targetArn == null) {
          putBack.add(m);
          continue;
        }
        StoredMessage back = new StoredMessage(msg.messageId(), msg.body(), msg.sentTimestamp(), msg.senderId(),
            msg.groupId(), msg.deduplicationId(), msg.messageAttributes(), msg.systemAttributes(), null);
        byTarget.computeIfAbsent(targetArn, x -> new ArrayList<>()).add(new MovedMessage(back, m.size));
        statesByTarget.computeIfAbsent(targetArn, x -> new ArrayList<>()).add(m);
      }
      List<String> targets = new ArrayList<>(byTarget.keySet());
      List<Future<Void>> sends = new ArrayList<>();
      for (String target : targets) sends.add(queues.directory().enqueueMoved(target, byTarget.get(target)));
      return Future.join(sends).transform(joined -> {
        Batch b = queues.store().batch();
        int moved = 0;
        String failure = putBack.isEmpty() ? null : "AWS.SimpleQueueService.NonExistentQueue";
        for (int i = 0; i < targets.size(); i++) {
          List<MessageState> states = statesByTarget.get(targets.get(i));
          if (sends.get(i).succeeded()) {
            for (MessageState m : states) {
              queues.recent().remove(m);
              queues.store().deleteMessage(b, source.id(), m.seq);
            }
            moved += states.size();
          } else {
            // Leave the messages where they are and fail the task, as SQS does when a target is gone.
            putBack.addAll(states);
            failure = "AWS.SimpleQueueService.NonExistentQueue";
          }
        }
        long at = queues.clock().millis();
        if (!source.deleted && !source.released) for (MessageState m : putBack) source.index().add(m, at);
        // A step that found fewer messages than its limit has drained what the task set out to move.
        String status = failure != null ? MoveTask.FAILED : picked.size() < limit ? MoveTask.COMPLETED : MoveTask.RUNNING;
        MoveTask current = tasks.get(task.taskHandle());
        if (current != null && !current.running()) status = current.status(); // cancelled meanwhile
        MoveTask progressed = task.withProgress(task.moved() + moved, status, failure);
        tasks.put(task.taskHandle(), progressed);
        queues.store().putMoveTask(b, source.partition(), progressed);
        long next = task.maxPerSecond() == null ? UNLIMITED_STEP_MILLIS : STEP_MILLIS;
        return queues.commit(source, b).onSuccess(v -> {
          if (progressed.running()) schedule(task.taskHandle(), next);
        });
      });
    });
  }

  private Future<Void> finish(MoveTask task, String status, String reason) {
    MoveTask done = task.withProgress(task.moved(), status, reason);
    tasks.put(task.taskHandle(), done);
    Batch b = queues.store().batch();
    queues.store().putMoveTask(b, partitionOf(done), done);
    return queues.commit(partitionOf(done), b);
  }
}
