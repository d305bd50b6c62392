package io.eventplane.functions.runtime;

import java.util.function.Supplier;

/**
 * The node's {@link Launcher}, made when the first instance is launched rather than when the node
 * starts: making it unpacks the java runtime's jars and native library out of the server's jar
 * (read and compared byte for byte with what the data directory holds) and probes the installed
 * JDKs, work that a node which runs no function never needs and that used to sit on the start-up
 * path. Blocking, like the launches it serves; a failure is not kept, the next launch tries again.
 */
public final class LauncherOnFirstUse implements Supplier<Launcher> {
  private final Supplier<Launcher> factory;
  private Launcher launcher;

  public LauncherOnFirstUse(Supplier<Launcher> factory) {
    this.factory = factory;
  }

  @Override
  public synchronized Launcher get() {
    if (launcher == null) launcher = factory.get();
    return launcher;
  }
}
