package io.eventplane.common.store;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completes promises of Vert.x contexts in groups: one task per context for everything that
 * became done together (a group commit, a replica's ack of a group), instead of one task, and so
 * one event-loop wake-up, per promise.
 *
 * <p>A thread opens a group with {@link #batching}; every {@link #complete} it makes until the body
 * returns is kept in a list per context, and at the end each context gets one task that completes
 * its list in the order the completions were made (so a context sees its commits complete in
 * submission order). Outside a group, {@link #complete} submits one task at once. The group lives in
 * a thread local because the completions are made deep in callbacks (a store future's dependants, a
 * replica link's ack handler) that should not have to pass a collector along; a group is only ever
 * touched by the thread that opened it.
 *
 * <p>The promises are plain ({@link Promise#promise()}, bound to no context): they are only ever
 * completed inside their context's task, so their listeners run there, and a bound promise would
 * add nothing but the risk of a second hop. Completions are never run inline, even on the
 * promise's own thread: they may be made under a lock (an owner partition's), and a promise's
 * listeners must not run under it.
 */
public final class ContextCompletions {
  private static final ThreadLocal<ContextCompletions> OPEN = new ThreadLocal<>();

  // Contexts compare by identity; a group rarely holds more than a few (one per lane).
  private final Map<Context, List<Object>> byContext = new IdentityHashMap<>();
  private final List<Context> order = new ArrayList<>();

  private ContextCompletions() {}

  /**
   * Runs the body; the completions it makes on this thread are delivered at its end, one task per
   * context. A nested call joins the enclosing group. Returns the number of tasks submitted.
   */
  public static int batching(Runnable body) {
    return batching(body, null);
  }

  /**
   * As {@link #batching(Runnable)}, adding the number of tasks to {@code tasks} before they are
   * submitted, so that whoever a completion wakes already sees it counted.
   */
  public static int batching(Runnable body, java.util.concurrent.atomic.AtomicLong tasks) {
    if (OPEN.get() != null) {
      body.run();
      return 0;
    }
    ContextCompletions group = new ContextCompletions();
    OPEN.set(group);
    try {
      body.run();
    } finally {
      OPEN.remove();
    }
    if (tasks != null) tasks.addAndGet(group.order.size());
    return group.deliver();
  }

  /** Completes the promise on the context: now (one task) or at the end of this thread's group. */
  public static <T> void complete(Context context, Promise<T> promise, T value, Throwable failure) {
    Object outcome = failure != null ? new Failure(failure) : value;
    ContextCompletions group = OPEN.get();
    if (group != null) {
      group.add(context, promise, outcome);
    } else {
      context.runOnContext(v -> settle(promise, outcome));
    }
  }

  private record Failure(Throwable cause) {}

  private void add(Context context, Promise<?> promise, Object outcome) {
    List<Object> list = byContext.get(context);
    if (list == null) {
      list = new ArrayList<>();
      byContext.put(context, list);
      order.add(context);
    }
    list.add(promise);
    list.add(outcome);
  }

  private int deliver() {
    for (Context context : order) {
      List<Object> list = byContext.get(context);
      context.runOnContext(v -> {
        for (int i = 0; i < list.size(); i += 2) settle(list.get(i), list.get(i + 1));
      });
    }
    return order.size();
  }

  @SuppressWarnings("unchecked")
  private static void settle(Object promise, Object outcome) {
    Promise<Object> p = (Promise<Object>) promise;
    if (outcome instanceof Failure f) p.tryFail(f.cause());
    else p.tryComplete(outcome);
  }
}
