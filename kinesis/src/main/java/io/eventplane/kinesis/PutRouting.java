package io.eventplane.kinesis;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.partition.Placement;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Function;

/**
 * How PutRecord and PutRecords reach their stream's owner. Like {@link PartitionRouter}, a put is
 * tried again every 100 ms for up to 10 s while nothing can have written it: the partition has no
 * owner, or the owner's lane has not loaded it yet. Unlike it, a put is never tried again once an
 * owner may have written it: an owner that dies before it answers may have committed and
 * replicated the records, and a second attempt at the new owner would write them twice under one
 * answer (KinesisClusterFailoverProcessIT saw answered records twice). Such a put fails
 * ServiceUnavailable; a client that retries it makes a producer retry, whose duplicates AWS
 * documents ("Handling Duplicate Records").
 */
final class PutRouting {
  static final Set<String> PUTS = Set.of("PutRecord", "PutRecords");
  private static final long RETRY_FOR_MILLIS = 10_000;
  private static final long PAUSE_MILLIS = 100;
  private static final String NO_OWNER = "No node serves the stream's partition right now; retry.";

  private final Vertx vertx;
  private final Placement placement;
  private final NodeCalls calls;

  PutRouting(Vertx vertx, Placement placement, NodeCalls calls) {
    this.vertx = vertx;
    this.placement = placement;
    this.calls = calls;
  }

  Future<JsonObject> route(ApiRequest request, int partition, Function<ApiRequest, Future<JsonObject>> handle) {
    Promise<JsonObject> result = Promise.promise();
    attempt(request, partition, System.currentTimeMillis() + RETRY_FOR_MILLIS, handle, result);
    return result.future();
  }

  private void attempt(ApiRequest request, int partition, long deadline, Function<ApiRequest, Future<JsonObject>> handle,
      Promise<JsonObject> result) {
    String owner = placement.ownerOf(partition);
    Future<JsonObject> attempt;
    if (owner == null) {
      attempt = Future.failedFuture(new ServiceException(ServiceError.unavailable(NO_OWNER)));
    } else if (owner.equals(placement.self())) {
      attempt = PartitionRouter.safely(handle, request);
    } else {
      attempt = calls.call(owner, partition, request);
    }
    attempt.onComplete(ar -> {
      if (ar.failed() && unwritten(ar.cause()) && System.currentTimeMillis() < deadline) {
        vertx.setTimer(PAUSE_MILLIS, t -> attempt(request, partition, deadline, handle, result));
      } else {
        result.handle(ar);
      }
    });
  }

  /** Whether a failure says for sure that nothing was written. */
  static boolean unwritten(Throwable failure) {
    return failure instanceof ServiceException e && ServiceError.UNAVAILABLE_CODE.equals(e.error().code())
        && (NO_OWNER.equals(e.error().message()) || Streams.NOT_LOADED.equals(e.error().message()));
  }
}
