package io.eventplane.server;

import java.util.StringJoiner;

/**
 * How long each step of a node's start took (opening the store, migrations, Vert.x and the
 * cluster, each service's deployment, the gateway), logged once when the node serves: where a slow
 * start went, without a profiler. Steps run one after another; each is the time since the last.
 */
final class StartupPhases {
  private final long started = System.nanoTime();
  private long last = started;
  private final StringJoiner phases = new StringJoiner(", ");

  /** Ends the current step, named {@code phase}. Called from the starting thread or the deploying event loop, one at a time. */
  synchronized void done(String phase) {
    long now = System.nanoTime();
    phases.add(phase + " " + (now - last) / 1_000_000 + " ms");
    last = now;
  }

  synchronized String summary() {
    return "start-up took " + (last - started) / 1_000_000 + " ms: " + phases;
  }
}
