package io.eventplane.broker.queue.domain;

/**
 * A message move task (redrive) from a dead-letter queue.
 *
 * @param destinationArn null: each message goes back to the queue it was dead-lettered from
 * @param maxPerSecond null: as fast as the system allows
 * @param lastSeq only messages up to this sequence (present when the task started) are moved
 */
public record MoveTask(
    String taskHandle,
    String sourceArn,
    String destinationArn,
    Integer maxPerSecond,
    String status,
    long moved,
    long toMove,
    long startedTimestamp,
    String failureReason,
    long lastSeq) {

  public static final String RUNNING = "RUNNING";
  public static final String COMPLETED = "COMPLETED";
  public static final String CANCELLING = "CANCELLING";
  public static final String CANCELLED = "CANCELLED";
  public static final String FAILED = "FAILED";

  public MoveTask withProgress(long movedNow, String newStatus, String reason) {
    return new MoveTask(taskHandle, sourceArn, destinationArn, maxPerSecond, newStatus, movedNow, toMove, startedTimestamp, reason, lastSeq);
  }

  public boolean running() {
    return RUNNING.equals(status);
  }
}
