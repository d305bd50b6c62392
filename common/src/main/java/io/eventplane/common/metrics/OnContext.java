package io.eventplane.common.metrics;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * A {@link NodeMetrics#beforeScrape} refresh that runs on the context owning the state it copies (a
 * lane's): the scrape's worker then reads only the copies. A refresh that throws fails its future,
 * leaving its gauges as they were.
 */
public final class OnContext {
  private OnContext() {}

  public static Supplier<Future<Void>> refresh(Context context, Runnable refresh) {
    return () -> {
      Promise<Void> refreshed = Promise.promise();
      context.runOnContext(v -> {
        try {
          refresh.run();
          refreshed.complete();
        } catch (RuntimeException e) {
          refreshed.fail(e);
        }
      });
      return refreshed.future();
    };
  }
}
