package io.eventplane.functions.runtime;

import java.util.List;
import java.util.Set;

/** The runtime identifiers Lambda accepts, and which of them this node can run. */
public final class Runtimes {
  /** Every identifier of the API's Runtime enum that is still supported for new functions. */
  public static final List<String> ALL = List.of(
      "nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
      "java8.al2", "java11", "java17", "java21", "dotnet8", "ruby3.2", "ruby3.3", "ruby3.4", "provided.al2",
      "provided.al2023");
  /** Those whose instances Eventplane starts: JVM runtimes with the runtime interface client, and custom runtimes. */
  public static final Set<String> RUNNABLE = Set.of("java11", "java17", "java21", "provided.al2", "provided.al2023");

  private Runtimes() {}

  public static boolean isJava(String runtime) {
    return runtime.startsWith("java");
  }

  /** The Java feature version a java runtime needs, for choosing the worker's JVM. */
  public static int javaVersion(String runtime) {
    return switch (runtime) {
      case "java11" -> 11;
      case "java17" -> 17;
      case "java21" -> 21;
      default -> 8;
    };
  }
}
