package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;

/**
 * When SNS tries a delivery again after a server-side error: four phases (immediate retries,
 * retries at the minimum delay, a backoff from the minimum to the maximum delay, retries at the
 * maximum delay), as in "Amazon SNS message delivery retries". AWS-managed endpoints (SQS,
 * Lambda) have a fixed policy of 100,015 attempts over 23 days; HTTP/S endpoints follow the
 * {@code healthyRetryPolicy} of the subscription's or the topic's DeliveryPolicy, by default
 * three retries 20 seconds apart.
 *
 * @param numRetries retries after the first attempt, over all phases
 */
public record RetryPolicy(int minDelaySeconds, int maxDelaySeconds, int numRetries, int numNoDelayRetries,
    int numMinDelayRetries, int numMaxDelayRetries, String backoffFunction) {

  /** SQS and Lambda: 3 immediate, 2 at 1 s, 10 from 1 s to 20 s exponentially, 100,000 at 20 s. */
  public static final RetryPolicy AWS_MANAGED = new RetryPolicy(1, 20, 100_015 - 1, 3, 2, 100_000, "exponential");
  /** HTTP/S without a delivery policy. */
  public static final RetryPolicy HTTP_DEFAULT = new RetryPolicy(20, 20, 3, 0, 0, 0, "linear");

  /** Whether the delivery may be tried again after {@code attempts} failed attempts. */
  public boolean retriesLeft(int attempts) {
    return attempts <= numRetries;
  }

  /** The delay before retry number {@code retry} (1 = the first retry), in milliseconds. */
  public long delayMillis(int retry) {
    if (retry <= numNoDelayRetries) return 0;
    int r = retry - numNoDelayRetries;
    if (r <= numMinDelayRetries) return minDelaySeconds * 1000L;
    r -= numMinDelayRetries;
    int backoff = Math.max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries);
    if (r > backoff) return maxDelaySeconds * 1000L;
    if (backoff <= 1) return minDelaySeconds * 1000L;
    double f = (r - 1) / (double) (backoff - 1);
    double seconds = switch (backoffFunction) {
      case "arithmetic" -> minDelaySeconds + (maxDelaySeconds - minDelaySeconds) * f * f;
      case "geometric", "exponential" -> minDelaySeconds * Math.pow((double) maxDelaySeconds / minDelaySeconds, f);
      default -> minDelaySeconds + (maxDelaySeconds - minDelaySeconds) * f;
    };
    return Math.round(seconds * 1000);
  }

  /** The healthyRetryPolicy of an HTTP/S delivery policy; absent fields take the defaults. */
  public static RetryPolicy fromHealthyRetryPolicy(JsonObject p) {
    if (p == null) return HTTP_DEFAULT;
    int min = p.getInteger("minDelayTarget", HTTP_DEFAULT.minDelaySeconds);
    int max = p.getInteger("maxDelayTarget", Math.max(min, HTTP_DEFAULT.maxDelaySeconds));
    return new RetryPolicy(min, max, p.getInteger("numRetries", HTTP_DEFAULT.numRetries),
        p.getInteger("numNoDelayRetries", 0), p.getInteger("numMinDelayRetries", 0),
        p.getInteger("numMaxDelayRetries", 0), p.getString("backoffFunction", "linear"));
  }

  /** The policy as SNS lists it in an EffectiveDeliveryPolicy, every field named. */
  public static JsonObject describe(RetryPolicy r) {
    return new JsonObject().put("minDelayTarget", r.minDelaySeconds).put("maxDelayTarget", r.maxDelaySeconds)
        .put("numRetries", r.numRetries).put("numMaxDelayRetries", r.numMaxDelayRetries)
        .put("numNoDelayRetries", r.numNoDelayRetries).put("numMinDelayRetries", r.numMinDelayRetries)
        .put("backoffFunction", r.backoffFunction);
  }

  /**
   * Checks a healthyRetryPolicy as SNS's documented limits have it.
   *
   * @throws io.eventplane.common.error.ServiceException InvalidParameter naming the field
   */
  public static void validate(JsonObject p) {
    for (String field : new String[] {"minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries",
        "numMinDelayRetries", "numMaxDelayRetries"}) {
      Object v = p.getValue(field);
      if (v != null && !(v instanceof Integer)) throw TopicErrors.invalidParameter("DeliveryPolicy: " + field + " must be an integer");
    }
    RetryPolicy r = fromHealthyRetryPolicy(p);
    if (r.minDelaySeconds < 1 || r.minDelaySeconds > r.maxDelaySeconds) {
      throw TopicErrors.invalidParameter("DeliveryPolicy: minDelayTarget must be between 1 and maxDelayTarget");
    }
    if (r.maxDelaySeconds > 3600) throw TopicErrors.invalidParameter("DeliveryPolicy: maxDelayTarget must be at most 3600");
    if (r.numRetries < 0 || r.numRetries > 100) throw TopicErrors.invalidParameter("DeliveryPolicy: numRetries must be between 0 and 100");
    if (r.numNoDelayRetries < 0 || r.numMinDelayRetries < 0 || r.numMaxDelayRetries < 0
        || r.numNoDelayRetries + r.numMinDelayRetries + r.numMaxDelayRetries > r.numRetries) {
      throw TopicErrors.invalidParameter("DeliveryPolicy: the phase retries must add up to at most numRetries");
    }
    if (!java.util.Set.of("linear", "arithmetic", "geometric", "exponential").contains(r.backoffFunction)) {
      throw TopicErrors.invalidParameter("DeliveryPolicy: backoffFunction must be one of linear, arithmetic, geometric, exponential");
    }
    long total = 0;
    for (int i = 1; i <= r.numRetries; i++) total += r.delayMillis(i);
    if (total > 3_600_000L) throw TopicErrors.invalidParameter("DeliveryPolicy: total retry time must be at most 3600 seconds");
  }
}
