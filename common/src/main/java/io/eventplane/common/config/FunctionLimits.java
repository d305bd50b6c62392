package io.eventplane.common.config;

/**
 * How a node runs functions.
 *
 * @param maxInstances the function instances (worker processes) this node runs at once, all functions together
 * @param idleSeconds how long an instance may wait for work before it is ended
 * @param asyncFirstRetryMillis the delay before an Event invocation's first retry (AWS: about a
 *     minute; the second retry waits twice as long)
 */
public record FunctionLimits(int maxInstances, int idleSeconds, long asyncFirstRetryMillis) {
  public FunctionLimits {
    if (maxInstances < 1) throw new IllegalArgumentException("function instances must be >= 1: " + maxInstances);
    if (idleSeconds < 1) throw new IllegalArgumentException("function idle seconds must be >= 1: " + idleSeconds);
    if (asyncFirstRetryMillis < 1) throw new IllegalArgumentException("async retry delay must be >= 1 ms");
  }

  public static FunctionLimits defaults() {
    return new FunctionLimits(64, 600, 60_000);
  }
}
