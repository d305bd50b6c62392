package io.eventplane.functions.runtime;

import io.eventplane.functions.domain.Function;

/**
 * Counts a function's invocations as CloudWatch's AWS/Lambda metrics do (Invocations, Errors,
 * Throttles, Duration, ConcurrentExecutions) plus its cold starts. Called by {@link Instances} on
 * the lane's context. {@link #NONE} with {@code --metrics off}: nothing is recorded.
 */
public interface InvocationMetrics {
  InvocationMetrics NONE = new InvocationMetrics() {
    @Override
    public void started(Function f) {}

    @Override
    public void coldStart(Function f) {}

    @Override
    public void finished(Function f, boolean error, long durationNanos) {}

    @Override
    public void throttled(Function f) {}

    @Override
    public void rejected(Function f) {}
  };

  /** An invocation reached the instances (it is now a concurrent execution until it ends). */
  void started(Function f);

  /** A new instance starts for an invocation. */
  void coldStart(Function f);

  /**
   * The function answered or failed ({@code error}: a function error, a timeout or a crash).
   *
   * @param durationNanos from the runtime's taking the event to the answer; negative when the
   *     instance never took it (it could not start)
   */
  void finished(Function f, boolean error, long durationNanos);

  /** No instance could take it (reserved concurrency or the node's limit): a throttle. */
  void throttled(Function f);

  /** It never reached an instance for another reason (it ends the execution {@link #started} began). */
  void rejected(Function f);
}
