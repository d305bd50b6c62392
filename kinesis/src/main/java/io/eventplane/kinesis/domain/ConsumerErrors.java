package io.eventplane.kinesis.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/** The errors of Kinesis's consumer operations and SubscribeToShard, worded as AWS words them where known. */
public final class ConsumerErrors {
  /** The consumers one stream may have (AWS: 20). */
  public static final int CONSUMERS_PER_STREAM = 20;

  private ConsumerErrors() {}

  public static ServiceException notFound(String consumer, StreamRef stream) {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException",
        "Consumer " + consumer + " under stream " + stream.name() + " and account " + stream.account() + " not found."));
  }

  public static ServiceException exists(Consumer c) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "Consumer " + c.arn() + " already exists with the same name."));
  }

  public static ServiceException limit(StreamRef stream) {
    return new ServiceException(ServiceError.sender("LimitExceededException",
        "Stream " + stream.arn() + " has reached the limit of " + CONSUMERS_PER_STREAM + " registered consumers."));
  }

  /** AWS's words for a stream with consumers deleted without EnforceConsumerDeletion. */
  public static ServiceException hasConsumers(StreamRef stream) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "DeleteStream can't delete " + stream.arn() + " because there are consumers associated with this data stream. "
            + "To delete " + stream.name() + " anyway, set the EnforceConsumerDeletion parameter to true to force the "
            + "deletion of all the consumers that are associated with it."));
  }

  /** AWS's words for a second subscription of a consumer's shard within 5 seconds of the last one. */
  public static ServiceException subscribed(Consumer c, String shardId) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "Another active subscription exists for this consumer: " + c.stream().account() + ':' + c.stream().name() + ':'
            + shardId + ':' + c.name()));
  }

  public static ServiceException expiredToken() {
    return new ServiceException(ServiceError.sender("ExpiredNextTokenException", "The NextToken has expired."));
  }
}
