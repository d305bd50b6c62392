package io.eventplane.common.cloudwatch;

import io.vertx.core.Context;

/**
 * The node's publisher of AWS namespaces' metrics to CloudWatch (a node resource the CloudWatch
 * service provides, found with {@code env.resources().find(AwsMetrics.class)}). Once per minute of
 * the node's clock it samples every registered source on that source's context and stores what they
 * answer as CloudWatch data points, as an internal call: no gateway, no auth, and the {@code AWS/}
 * namespaces clients are refused.
 */
public interface AwsMetrics {
  /** A node without CloudWatch: nothing is sampled. */
  AwsMetrics NONE = (context, source) -> () -> { };

  /**
   * Samples {@code source} on {@code context} once per minute from now on.
   *
   * @return stops the sampling (call it when the lane stops)
   */
  Runnable register(Context context, AwsMetricSource source);

  /** The node's publisher, given to services by the CloudWatch service's setup; {@link #NONE} on a node without CloudWatch. */
  static AwsMetrics of(io.eventplane.common.service.ServiceEnvironment env) {
    AwsMetrics provided = env.resources().find(AwsMetrics.class);
    return provided == null ? NONE : provided;
  }
}
