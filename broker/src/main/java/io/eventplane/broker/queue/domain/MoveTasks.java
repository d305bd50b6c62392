package io.eventplane.broker.queue.domain;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.common.timer.DurableScheduler;
import io.eventplane.common.timer.Timer;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redrive: StartMessageMoveTask moves the messages a dead-letter queue holds when the task starts,
 * back to the queue each came from or to a named queue, at most MaxNumberOfMessagesPerSecond. Each
 * step is a durable timer, so a task survives a restart and resumes where it stopped.
 */
public final class MoveTasks {
  public static final String TIMER_KIND = "sqs.move-task";
  private static final int UNLIMITED_PER_STEP = 500;
  private static final long STEP_MILLIS = 1000;
  private static final long UNLIMITED_STEP_MILLIS = 100;

  private final Queues queues;
  private final Receiving receiving;
  private final DurableScheduler scheduler;
  private final Map<String, MoveTask> tasks = new HashMap<>();

  public MoveTasks(Queues queues, Receiving receiving, DurableScheduler scheduler) {
    this.queues = queues;
    this.receiving = receiving;
    this.scheduler = scheduler;
    scheduler.register(TIMER_KIND, this::step);
  }

  public void restore(List<MoveTask> stored) {
    stored.forEach(t -> tasks.put(t.taskHandle(), t));
  }

  public void clear() {
    tasks.clear();
  }

  public Future<MoveTask> start(String sourceArn, String destinationArn, Integer maxPerSecond) {
    Queue source = queues.byArn(sourceArn);
    if (source == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    if (queues.deadLetterSources(source).isEmpty()) {
      throw QueueErrors.invalidParameter("Source queue must be configured as a Dead Letter Queue.");
    }
    if (destinationArn != null) {
      Queue destination = queues.byArn(destinationArn);
      if (destination == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the DestinationArn parameter doesn't exist.");
      if (destination.fifo() != source.fifo()) throw QueueErrors.invalidParameter("The source queue and destination queue must be of the same queue type.");
    }
    if (maxPerSecond != null && (maxPerSecond < 1 || maxPerSecond > 500)) {
      throw QueueErrors.invalidParameter("MaxNumberOfMessagesPerSecond", maxPerSecond, "Must be between 1 and 500.");
    }
    for (MoveTask t : tasks.values()) {
      if (t.sourceArn().equals(sourceArn) && t.running()) {
        throw new ServiceException("UnsupportedOperation", "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
      }
    }
    long now = queues.clock().millis();
    source.index().promote(now);
    String handle = Base64.getUrlEncoder().withoutPadding().encodeToString(
        (Ids.uuid() + ":" + sourceArn).getBytes(StandardCharsets.UTF_8));
    MoveTask task = new MoveTask(handle, sourceArn, destinationArn, maxPerSecond, MoveTask.RUNNING, 0,
        source.index().size(), now, null, source.index().lastSeq());
    tasks.put(handle, task);
    Batch b = queues.store().batch();
    queues.store().putMoveTask(b, task);
    scheduler.schedule(b, TIMER_KIND, handle, now, null);
    return queues.commit(b).onSuccess(v -> scheduler.nudge(now)).map(task);
  }

  public MoveTask cancel(String handle) {
    MoveTask t = tasks.get(handle);
    if (t == null || !t.running()) throw new ServiceException("ResourceNotFoundException", "Task does not exist.");
    return t;
  }

  public Future<MoveTask> cancelled(MoveTask t) {
    MoveTask c = t.withProgress(t.moved(), MoveTask.CANCELLED, null);
    tasks.put(c.taskHandle(), c);
    Batch b = queues.store().batch();
    queues.store().putMoveTask(b, c);
    return queues.commit(b).map(c);
  }

  /** The most recent tasks of a source queue first. */
  public List<MoveTask> list(String sourceArn, int max) {
    if (queues.byArn(sourceArn) == null) throw new ServiceException("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.");
    List<MoveTask> out = new ArrayList<>();
    for (MoveTask t : tasks.values()) if (t.sourceArn().equals(sourceArn)) out.add(t);
    out.sort(Comparator.comparingLong(MoveTask::startedTimestamp).reversed());
    return out.size() > max ? out.subList(0, max) : out;
  }

  private Future<Void> step(Timer timer) {
    MoveTask task = tasks.get(timer.id());
    if (task == null || !task.running()) return Future.succeededFuture();
    Queue source = queues.byArn(task.sourceArn());
    long now = queues.clock().millis();
    if (source == null) return finish(task, MoveTask.FAILED, "AWS.SimpleQueueService.NonExistentQueue", now);
    int limit = task.maxPerSecond() == null ? UNLIMITED_PER_STEP : task.maxPerSecond();
    source.index().promote(now);
    List<MessageState> picked = source.index().select(
        m -> m.seq <= task.lastSeq() && m.status == MessageState.Status.VISIBLE, limit);
    if (picked.isEmpty()) return finish(task, MoveTask.COMPLETED, null, now);
    for (MessageState m : picked) source.index().remove(m, now);
    List<Long> seqs = picked.stream().map(MessageState::seq).toList();
    return queues.readMessages(source, seqs).compose(messages -> {
      Batch b = queues.store().batch();
      Map<Queue, List<MessageState>> movedIn = new HashMap<>();
      int moved = 0;
      String failure = null;
      for (int i = 0; i < picked.size(); i++) {
        StoredMessage msg = messages.get(i);
        MessageState m = picked.get(i);
        if (msg == null) continue;
        String targetArn = task.destinationArn() != null ? task.destinationArn() : msg.deadLetterSourceArn();
        Queue target = targetArn == null ? null : queues.byArn(targetArn);
        if (target == null) {
          // Leave the message where it is: put it back and fail the task, as SQS does.
          source.index().add(m, now);
          failure = "AWS.SimpleQueueService.NonExistentQueue";
          continue;
        }
        queues.recent().remove(source.id(), m.seq);
        queues.store().deleteMessage(b, source.id(), m.seq);
        StoredMessage back = new StoredMessage(msg.messageId(), msg.body(), target.fifo() ? now : msg.sentTimestamp(),
            msg.senderId(), msg.groupId(), msg.deduplicationId(), msg.messageAttributes(), msg.systemAttributes(), null);
        movedIn.computeIfAbsent(target, x -> new ArrayList<>()).add(receiving.enqueueMoved(target, back, m, now, b));
        moved++;
      }
      // A step that found fewer messages than its limit has drained what the task set out to move.
      String status = failure != null ? MoveTask.FAILED : picked.size() < limit ? MoveTask.COMPLETED : MoveTask.RUNNING;
      MoveTask progressed = task.withProgress(task.moved() + moved, status, failure);
      tasks.put(task.taskHandle(), progressed);
      queues.store().putMoveTask(b, progressed);
      long next = now + (task.maxPerSecond() == null ? UNLIMITED_STEP_MILLIS : STEP_MILLIS);
      if (progressed.running()) scheduler.schedule(b, TIMER_KIND, task.taskHandle(), next, null);
      return queues.commit(b).onSuccess(v -> {
        movedIn.forEach(receiving::addMoved);
        if (progressed.running()) scheduler.nudge(next);
      });
    });
  }

  private Future<Void> finish(MoveTask task, String status, String reason, long now) {
    MoveTask done = task.withProgress(task.moved(), status, reason);
    tasks.put(task.taskHandle(), done);
    Batch b = queues.store().batch();
    queues.store().putMoveTask(b, done);
    return queues.commit(b);
  }
}
