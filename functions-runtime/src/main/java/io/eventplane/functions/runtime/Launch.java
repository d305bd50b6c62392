package io.eventplane.functions.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one instance of a function: the command, its working directory (the unpacked
 * package, LAMBDA_TASK_ROOT) and its environment, without AWS_LAMBDA_RUNTIME_API, which the
 * worker adds once its Runtime API listens.
 *
 * @param telemetryPipe the named pipe the instance writes framed log records to (its fd 3,
 *     {@code _LAMBDA_TELEMETRY_LOG_FD}), or null for runtimes that log to standard output only
 * @param marksInvocationEnds whether the runtime is Eventplane's java bootstrap, which writes an
 *     invocation's {@code EndMarker} to its output (a custom runtime's bootstrap does not)
 */
public record Launch(List<String> command, Path taskRoot, Map<String, String> environment, String functionArn,
    Path telemetryPipe, boolean marksInvocationEnds) {
  public Launch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
