package io.eventplane.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real `aws` command with test credentials in us-east-1, as the README's commands are run. */
public final class AwsCli {
  private AwsCli() {}

  /** What a command did: exit code, standard output and standard error. */
  public record Result(int exitCode, String out, String err) {}

  /** Whether the `aws` command is on the PATH. */
  public static boolean present() throws Exception {
    return run(List.of("aws", "--version"), 60).exitCode() == 0;
  }

  public static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    return run(command, timeoutSeconds, Map.of());
  }

  /** As {@link #run(List, int)}, with these environment variables over the test ones (another access key, say). */
  public static Result run(List<String> command, int timeoutSeconds, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.putAll(environment);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, "", e.getMessage());
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
