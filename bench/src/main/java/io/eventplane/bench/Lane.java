package io.eventplane.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import java.util.function.Function;

/**
 * One event loop of the load generator and an HTTP client used only from it, so a connection,
 * its requests and their answers all stay on one thread. (Requests issued straight from the main
 * thread, sharing a pool with the event loops' requests, now and then lost a response body here:
 * the response arrived, its body future never completed.)
 */
record Lane(Context context, HttpClientAgent http, SqsCalls calls) {

  /** Runs {@code call} on this lane's event loop; callable from any thread. */
  <T> Future<T> run(Function<SqsCalls, Future<T>> call) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.apply(calls).onComplete(result));
    return result.future();
  }
}
