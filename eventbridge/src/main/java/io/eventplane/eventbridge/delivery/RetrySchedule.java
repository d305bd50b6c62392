package io.eventplane.eventbridge.delivery;

import io.eventplane.eventbridge.domain.Target;
import java.util.function.LongUnaryOperator;

/**
 * When a failed delivery is tried again, by the target's RetryPolicy: exponential back-off with
 * jitter (EventBridge documents "exponential back off and jitter" without its constants): the n-th
 * retry waits between half and all of min(2^(n-1) s, {@value #CAP_SECONDS} s), a cap that lets the
 * default 185 retries spread over roughly the default 24 hours. A delivery gives up (to the
 * dead-letter queue) after MaximumRetryAttempts retries or once the event is older than
 * MaximumEventAgeInSeconds, whichever comes first.
 */
public final class RetrySchedule {
  static final long CAP_SECONDS = 480;

  /** Why retries stopped: the values of the dead-letter message's EXHAUSTED_RETRY_CONDITION. */
  public static final String ATTEMPTS_EXHAUSTED = "MaximumRetryAttemptsExhausted";
  public static final String AGE_EXHAUSTED = "MaximumEventAgeExhausted";

  private final LongUnaryOperator random;

  /** @param random maps a bound {@code n > 0} to a value in {@code [0, n)} */
  public RetrySchedule(LongUnaryOperator random) {
    this.random = random;
  }

  /** The delay before retry number {@code retry} (1 for the first retry). */
  public long delayMillis(int retry) {
    long full = Math.min(1000L << Math.min(retry - 1, 20), CAP_SECONDS * 1000);
    long half = full / 2;
    return half + random.applyAsLong(full - half + 1);
  }

  /**
   * Null when the delivery may be tried again after {@code failedAttempts} failed attempts of an
   * event ingested at {@code ingestedAt}; else the condition that ended it.
   */
  public static String exhausted(Target target, int failedAttempts, long ingestedAt, long now) {
    if (now - ingestedAt >= target.maximumEventAgeSeconds() * 1000L) return AGE_EXHAUSTED;
    if (failedAttempts > target.maximumRetryAttempts()) return ATTEMPTS_EXHAUSTED;
    return null;
  }
}
