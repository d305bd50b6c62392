package io.eventplane.kinesis.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;

/** Kinesis's errors, with the codes and messages of its API (all client errors, 400). */
public final class KinesisErrors {
  /** How long a shard iterator stays valid (AWS: 5 minutes). */
  public static final long ITERATOR_MILLIS = 300_000;

  private KinesisErrors() {}

  public static ServiceException notFound(StreamRef stream) {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException",
        "Stream " + stream.name() + " under account " + stream.account() + " not found."));
  }

  public static ServiceException exists(StreamRef stream) {
    return new ServiceException(ServiceError.sender("ResourceInUseException",
        "Stream " + stream.name() + " under account " + stream.account() + " already exists."));
  }

  public static ServiceException shardNotFound(StreamRef stream, String shardId) {
    return new ServiceException(ServiceError.sender("ResourceNotFoundException",
        "Shard " + shardId + " in stream " + stream.name() + " under account " + stream.account() + " does not exist"));
  }

  public static ServiceException invalidArgument(String message) {
    return new ServiceException(ServiceError.sender("InvalidArgumentException", message));
  }

  public static ServiceException validation(String message) {
    return new ServiceException(ServiceError.sender("ValidationException", message));
  }

  public static ServiceException serialization(String message) {
    return new ServiceException(ServiceError.sender("SerializationException", message));
  }

  public static ServiceException limitExceeded(String message) {
    return new ServiceException(ServiceError.sender("LimitExceededException", message));
  }

  /** As AWS words it: both times as Java's {@code Date.toString()} in UTC. */
  public static ServiceException expiredIterator(long createdMillis, long nowMillis) {
    return new ServiceException(ServiceError.sender("ExpiredIteratorException",
        "Iterator expired. The iterator was created at time " + javaDate(createdMillis) + " while right now it is "
            + javaDate(nowMillis) + " which is further in the future than the tolerated delay of " + ITERATOR_MILLIS
            + " milliseconds."));
  }

  private static String javaDate(long millis) {
    SimpleDateFormat f = new SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(new Date(millis));
  }
}
