package io.eventplane.functions.runtime;

import java.util.function.Supplier;

/**
 * The node's {@link Launcher}, made off the start-up path: making it unpacks the java runtime's
 * jars and native library out of the server's jar (read and compared byte for byte with what the
 * data directory holds) and probes the installed JDKs. The service asks for it in the background
 * once it has started ({@link #prepareInBackground}), so the node does not wait for it and the
 * first cold start usually finds it made; a launch that comes first makes it (or waits for the
 * background's making, under the lock). A cold start must not pay for it: a function's first
 * message would outlive a short visibility timeout and be received twice.
 * Blocking, like the launches it serves; a failure is not kept, the next launch tries again.
 */
public final class LauncherOnFirstUse implements Supplier<Launcher> {
  private final Supplier<Launcher> factory;
  private Launcher launcher;

  public LauncherOnFirstUse(Supplier<Launcher> factory) {
    this.factory = factory;
  }

  /** Makes the launcher on a worker thread now, without waiting for it; a failure is logged and left to the first launch. */
  public void prepareInBackground(io.vertx.core.Vertx vertx) {
    vertx.executeBlocking(this::get, false).onFailure(e -> System.getLogger(LauncherOnFirstUse.class.getName())
        .log(System.Logger.Level.WARNING, "the function runtime could not be prepared; the first launch tries again", e));
  }

  @Override
  public synchronized Launcher get() {
    if (launcher == null) launcher = factory.get();
    return launcher;
  }
}
