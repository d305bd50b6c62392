package io.eventplane.common.cloudwatch;

import io.vertx.core.Future;
import java.util.List;

/**
 * What one lane of a service tells CloudWatch each minute about the resources it owns (an SQS
 * lane: its queues' AWS/SQS metrics). Called on the context the source registered with, so it may
 * read the lane's state; it should only read and reset counters, never block.
 */
@FunctionalInterface
public interface AwsMetricSource {
  /**
   * @param millis the node clock's time of this sample (a gauge's value is its value now; a counter's is
   *     what it counted since the previous sample)
   * @return the data, empty when there is nothing to publish
   */
  List<AwsMetricDatum> sample(long millis);

  /**
   * The same, for a source that must read more than lane state (S3's daily storage metrics read the
   * store on a worker): called on the source's context like {@link #sample}, it may complete later,
   * on any thread. By default, {@link #sample}'s answer at once.
   */
  default Future<List<AwsMetricDatum>> sampleLater(long millis) {
    return Future.succeededFuture(sample(millis));
  }
}
