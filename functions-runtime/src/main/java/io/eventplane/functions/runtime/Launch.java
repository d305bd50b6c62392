package io.eventplane.functions.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one instance of a function: the command, its working directory (the unpacked
 * package, LAMBDA_TASK_ROOT) and its environment, without AWS_LAMBDA_RUNTIME_API, which the
 * worker adds once its Runtime API listens.
 */
public record Launch(List<String> command, Path taskRoot, Map<String, String> environment, String functionArn) {
  public Launch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
