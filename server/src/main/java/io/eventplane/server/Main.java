package io.eventplane.server;

import io.eventplane.common.config.EventplaneConfig;
import java.time.Clock;

/** {@code java -jar eventplane.jar [--port N] [--bind ADDR] [--data-dir PATH] [--durability fsync|interval|none] ...} */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    long mainStarted = System.nanoTime();
    // A server prints its group-commit histograms to its log when it stops (unless told not to).
    if (System.getProperty(io.eventplane.common.store.Store.PRINT_COMMIT_STATS) == null) {
      System.setProperty(io.eventplane.common.store.Store.PRINT_COMMIT_STATS, "true");
    }
    EventplaneConfig config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("eventplane: " + e.getMessage());
      System.err.println(ConfigLoader.USAGE);
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(ConfigLoader.USAGE);
      return;
    }
    String refused = AuthStartup.refusal(config);
    if (refused != null) {
      System.err.println("eventplane: " + refused);
      System.exit(2);
      return;
    }
    EventplaneServer server;
    try {
      server = EventplaneServer.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      // Exit rather than return: a thread a half-started library left behind must not keep the
      // process alive, or a supervisor (or a test harness) would wait on a node that never serves.
      System.err.println("eventplane: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "eventplane-shutdown"));
    long millis = millisSinceJvmStart(mainStarted);
    System.out.printf("Eventplane listening on http://%s:%d (data %s, durability %s%s) in %d ms%n",
        config.bind(), server.port(), config.dataDir().toAbsolutePath(), config.durability().name().toLowerCase(),
        config.devMode() ? ", dev mode" : "", millis);
    System.out.println("Eventplane " + AuthStartup.modeLine(config));
    String exposed = AuthStartup.warning(config);
    if (exposed != null) System.out.println("Eventplane WARNING: " + exposed);
  }

  /**
   * Since the JVM started, so the JVM's own start-up (a third of the total) counts too. Read after
   * the server listens: the management classes it loads cost the first request nothing.
   */
  private static long millisSinceJvmStart(long mainStartedNanos) {
    try {
      return System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    } catch (RuntimeException | LinkageError e) {
      return (System.nanoTime() - mainStartedNanos) / 1_000_000;
    }
  }
}
