package io.eventplane.gateway.authz;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Hands a cached future's outcome to whoever asks, on the asker's own thread. A Vert.x future runs
 * its callbacks on the context that made it, and a per-node cache's futures were made by whichever
 * event loop first asked: used as they are, a gateway instance or a service lane would continue on
 * another event loop (a thread hop per call, and a lane's same-thread rule broken). An outcome already
 * known comes back in a future bound to no context (callbacks run at once, in the caller's turn); one
 * still pending is handed back on the caller's context when it comes.
 */
final class CallersContext {
  private CallersContext() {}

  static <T> Future<T> of(Future<T> cached) {
    if (cached.isComplete()) {
      return cached.succeeded() ? Future.succeededFuture(cached.result()) : Future.failedFuture(cached.cause());
    }
    Context caller = Vertx.currentContext();
    Promise<T> out = Promise.promise();
    cached.onComplete(ar -> {
      if (caller == null || Vertx.currentContext() == caller) out.handle(ar);
      else caller.runOnContext(v -> out.handle(ar));
    });
    return out.future();
  }
}
