package io.eventplane.common.partition;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.IntPredicate;

/** Standalone placement: this node owns every partition, for good. */
public final class LocalPlacement implements Placement {
  private final String self;

  public LocalPlacement(String self) {
    this.self = self;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public String ownerOf(int partition) {
    return self;
  }

  @Override
  public List<String> members() {
    return List.of(self);
  }

  @Override
  public Future<Void> register(PartitionListener listener, Context context, IntPredicate partitions) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> acquireFrom(0, listener, partitions, done));
    return done.future();
  }

  private static void acquireFrom(int partition, PartitionListener listener, IntPredicate partitions, Promise<Void> done) {
    if (partition == Partitions.COUNT) {
      done.complete();
      return;
    }
    if (!partitions.test(partition)) {
      acquireFrom(partition + 1, listener, partitions, done);
      return;
    }
    listener.acquire(partition).onComplete(ar -> {
      if (ar.failed()) done.fail(ar.cause());
      else acquireFrom(partition + 1, listener, partitions, done);
    });
  }
}
