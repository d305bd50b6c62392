package io.eventplane.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real AWS CLI with test credentials in us-east-1, as the README's commands are run.
 *
 * <p>A command {@code aws ...} runs in {@link AwsCliSession}: one Python process that imported the
 * same awscli as the {@code aws} command and calls its driver once per command (the {@code aws}
 * command's own start, about a second, is paid once per test JVM instead of once per command). When
 * that awscli is not the {@code aws} command's (another version, or not importable by
 * {@code python3}), each command is an {@code aws} process, as any other command is.
 */
public final class AwsCli {
  private static final Object SESSION_LOCK = new Object();
  private static String version;
  private static AwsCliSession session;
  private static boolean sessionUnavailable;

  private AwsCli() {}

  /** What a command did: exit code, standard output and standard error. */
  public record Result(int exitCode, String out, String err) {}

  /** Whether the `aws` command is on the PATH. */
  public static boolean present() throws Exception {
    return version() != null;
  }

  public static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    return run(command, timeoutSeconds, Map.of());
  }

  /** As {@link #run(List, int)}, with these environment variables over the test ones (another access key, say). */
  public static Result run(List<String> command, int timeoutSeconds, Map<String, String> environment)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(environment);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    if (!command.isEmpty() && command.get(0).equals("aws")) {
      AwsCliSession cli = session();
      if (cli != null) {
        Map<String, String> commandEnv = new HashMap<>(testCredentials());
        commandEnv.putAll(env);
        return cli.run(command.subList(1, command.size()), commandEnv, timeoutSeconds);
      }
    }
    return runProcess(command, timeoutSeconds, env);
  }

  /** The test credentials and settings every command runs with, before a command's own. */
  static Map<String, String> testCredentials() {
    return Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_PAGER", "");
  }

  /** The `aws --version` line's version ({@code aws-cli/1.45.11 ...} gives 1.45.11), or null without the command. */
  private static String version() throws IOException, InterruptedException {
    synchronized (SESSION_LOCK) {
      if (version == null) {
        Result r = runProcess(List.of("aws", "--version"), 60, Map.of());
        if (r.exitCode() != 0) return null;
        String line = (r.out() + r.err()).trim();
        version = line.startsWith("aws-cli/") ? line.substring("aws-cli/".length()).split("\\s")[0] : "";
      }
      return version;
    }
  }

  /** The running session, started on first use; null when it cannot run the `aws` command's awscli. */
  private static AwsCliSession session() throws IOException, InterruptedException {
    synchronized (SESSION_LOCK) {
      if (sessionUnavailable) return null;
      if (session != null && session.alive()) return session;
      String expected = version();
      session = expected == null ? null : AwsCliSession.start(expected, testCredentials());
      if (session == null) sessionUnavailable = true;
      return session;
    }
  }

  static Result runProcess(List<String> command, int timeoutSeconds, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(testCredentials());
    env.putAll(environment);
    env.remove("AWS_PROFILE");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, "", e.getMessage());
    }
    // Read both streams while the command runs: a full pipe would stop it.
    java.util.concurrent.CompletableFuture<byte[]> out = readAll(p.getInputStream());
    java.util.concurrent.CompletableFuture<byte[]> err = readAll(p.getErrorStream());
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
  }

  /** Each stream on a thread of its own (the common pool may have one thread: two reads would take turns). */
  private static java.util.concurrent.CompletableFuture<byte[]> readAll(java.io.InputStream in) {
    java.util.concurrent.CompletableFuture<byte[]> bytes = new java.util.concurrent.CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (in) {
        bytes.complete(in.readAllBytes());
      } catch (IOException e) {
        bytes.complete(new byte[0]);
      }
    }, "aws-cli-output");
    reader.setDaemon(true);
    reader.start();
    return bytes;
  }
}
