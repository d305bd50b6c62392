package io.eventplane.gateway.apigateway.invoke.limits;

/**
 * A token bucket as API Gateway throttles with: it holds up to {@code burst} tokens, refills at
 * {@code rate} tokens a second, starts full, and each admitted request takes one. A rate or burst
 * of 0 admits nothing (as on AWS, where a limit of 0 blocks the route). Thread-safe: the gateway's
 * event loops share buckets; the lock is held for a few arithmetic operations.
 */
public final class TokenBucket {
  private double ratePerMilli;
  private double burst;
  private double tokens;
  private long lastMillis;

  public TokenBucket(double ratePerSecond, int burst, long nowMillis) {
    this.ratePerMilli = Math.max(0, ratePerSecond) / 1000.0;
    this.burst = Math.max(0, burst);
    this.tokens = this.burst;
    this.lastMillis = nowMillis;
  }

  public synchronized boolean tryAcquire(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * ratePerMilli);
      lastMillis = nowMillis;
    }
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  /** Gives back a token taken by a request that a later limit refused. */
  synchronized void release() {
    tokens = Math.min(burst, tokens + 1);
  }

  /** Takes new limits (a redeployed stage), keeping what is left up to the new burst. */
  public synchronized void reconfigure(double ratePerSecond, int burst) {
    this.ratePerMilli = Math.max(0, ratePerSecond) / 1000.0;
    this.burst = Math.max(0, burst);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  public synchronized boolean sameLimits(double ratePerSecond, int burst) {
    return this.ratePerMilli == Math.max(0, ratePerSecond) / 1000.0 && this.burst == Math.max(0, burst);
  }
}
