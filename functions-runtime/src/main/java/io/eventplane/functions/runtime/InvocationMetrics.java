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
    public void finished(Function f, String qualifier, boolean error, long durationNanos) {}

    @Override
    public void throttled(Function f, String qualifier) {}

    @Override
    public void rejected(Function f) {}
  };

  /** An invocation reached the instances (it is now a concurrent execution until it ends). */
  void started(Function f);

  /** A new instance starts for an invocation. */
  void coldStart(Function f);

  /**
   * The function answered or failed ({@code error}: a function error, a timeout or a crash).
   * {@code f} is the version that ran; {@code qualifier} the alias or version the caller named, or
   * null (an unqualified call, or one whose qualifier is not known any more: a queued event keeps only its version).
   *
   * @param durationNanos from the runtime's taking the event to the answer; negative when the
   *     instance never took it (it could not start)
   */
  void finished(Function f, String qualifier, boolean error, long durationNanos);

  /** No instance could take it (reserved concurrency or the node's limit): a throttle; arguments as {@link #finished}'s. */
  void throttled(Function f, String qualifier);

  /** It never reached an instance for another reason (it ends the execution {@link #started} began). */
  void rejected(Function f);

  /** An asynchronous invocation's event was queued (committed). */
  default void asyncReceived(Function f) {}

  /** An asynchronous event is tried (again): {@code ageMillis} since it was queued, on the service clock. */
  default void asyncAttempt(Function f, long ageMillis) {}

  /** Lambda gave up on an asynchronous event (retries or age used up); it may still go to a dead-letter target or destination. */
  default void asyncDropped(Function f) {}

  /** An asynchronous event could not be sent to the function's dead-letter target. */
  default void deadLetterError(Function f) {}

  /** An invocation record could not be sent to its on-success or on-failure destination. */
  default void destinationDeliveryFailure(Function f) {}

  /** Both recorders (the node's Prometheus meters and CloudWatch's AWS/Lambda counts), {@code a} first. */
  static InvocationMetrics both(InvocationMetrics a, InvocationMetrics b) {
    if (a == NONE) return b;
    if (b == NONE) return a;
    return new InvocationMetrics() {
      @Override
      public void started(Function f) {
        a.started(f);
        b.started(f);
      }

      @Override
      public void coldStart(Function f) {
        a.coldStart(f);
        b.coldStart(f);
      }

      @Override
      public void finished(Function f, String qualifier, boolean error, long durationNanos) {
        a.finished(f, qualifier, error, durationNanos);
        b.finished(f, qualifier, error, durationNanos);
      }

      @Override
      public void throttled(Function f, String qualifier) {
        a.throttled(f, qualifier);
        b.throttled(f, qualifier);
      }

      @Override
      public void rejected(Function f) {
        a.rejected(f);
        b.rejected(f);
      }

      @Override
      public void asyncReceived(Function f) {
        a.asyncReceived(f);
        b.asyncReceived(f);
      }

      @Override
      public void asyncAttempt(Function f, long ageMillis) {
        a.asyncAttempt(f, ageMillis);
        b.asyncAttempt(f, ageMillis);
      }

      @Override
      public void asyncDropped(Function f) {
        a.asyncDropped(f);
        b.asyncDropped(f);
      }

      @Override
      public void deadLetterError(Function f) {
        a.deadLetterError(f);
        b.deadLetterError(f);
      }

      @Override
      public void destinationDeliveryFailure(Function f) {
        a.destinationDeliveryFailure(f);
        b.destinationDeliveryFailure(f);
      }
    };
  }
}
