package io.eventplane.common.partition;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

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
  public Future<Void> register(PartitionListener listener, Context context) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> acquireFrom(0, listener, done));
    return done.future();
  }

  private static void acquireFrom(int partition, PartitionListener listener, Promise<Void> done) {
    if (partition == Partitions.COUNT) {
      done.complete();
      return;
    }
    listener.acquire(partition).onComplete(ar -> {
      if (ar.failed()) done.fail(ar.cause());
      else acquireFrom(partition + 1, listener, done);
    });
  }
}
