package io.eventplane.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Python process running AWS CLI commands one after another through awscli's own driver
 * ({@code aws-cli/cli_session.py}, a test resource), for {@link AwsCli}. It is stopped when the test JVM
 * ends (and ends by itself when its stdin closes, should the JVM die first); a command that does not
 * answer in time stops it, and the next command starts another.
 */
final class AwsCliSession {
  private static final String SCRIPT = "/aws-cli/cli_session.py";
  private static final int START_SECONDS = 60;

  private final Process process;
  private final OutputStream requests;
  /** The process's answer lines, read by a thread of its own; an empty string at its end. */
  private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(16);

  private AwsCliSession(Process process) {
    this.process = process;
    this.requests = process.getOutputStream();
    Thread reader = new Thread(() -> readAnswers(process.getInputStream()), "aws-cli-session");
    reader.setDaemon(true);
    reader.start();
    Thread errors = new Thread(() -> drain(process.getErrorStream()), "aws-cli-session-stderr");
    errors.setDaemon(true);
    errors.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /**
   * A session whose awscli is version {@code expected} (the `aws` command's), or null when
   * {@code python3} cannot import awscli or imports another version.
   */
  static AwsCliSession start(String expected, Map<String, String> environment) throws IOException, InterruptedException {
    Path script = Files.createTempFile("eventplane-cli-session", ".py");
    script.toFile().deleteOnExit();
    try (InputStream in = AwsCliSession.class.getResourceAsStream(SCRIPT)) {
      if (in == null) return null;
      Files.write(script, in.readAllBytes());
    }
    ProcessBuilder pb = new ProcessBuilder("python3", script.toString());
    pb.environment().putAll(environment);
    pb.environment().remove("AWS_PROFILE");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return null;
    }
    AwsCliSession session = new AwsCliSession(process);
    String ready = session.answers.poll(START_SECONDS, TimeUnit.SECONDS);
    if (ready == null || ready.isEmpty() || !expected.equals(new JsonObject(ready).getString("ready"))) {
      session.stop();
      return null;
    }
    return session;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Runs {@code aws ARGS} with this environment over the session's; stops the session if it does not answer in time. */
  synchronized AwsCli.Result run(List<String> args, Map<String, String> environment, int timeoutSeconds)
      throws IOException, InterruptedException {
    JsonObject request = new JsonObject().put("args", new JsonArray(List.copyOf(args)))
        .put("env", new JsonObject(Map.copyOf(environment)));
    requests.write((request.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    requests.flush();
    String line = answers.poll(timeoutSeconds, TimeUnit.SECONDS);
    if (line == null || line.isEmpty()) {
      stop();
      throw new AssertionError("aws " + String.join(" ", args)
          + (line == null ? " did not finish in " + timeoutSeconds + " s" : ": the CLI session ended"));
    }
    JsonObject answer = new JsonObject(line);
    return new AwsCli.Result(answer.getInteger("exit"), decode(answer.getString("out")), decode(answer.getString("err")));
  }

  private void stop() {
    process.destroyForcibly();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private void readAnswers(InputStream in) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) answers.put(line);
    } catch (IOException | InterruptedException e) {
      // The process ended or was stopped.
    } finally {
      answers.offer("");
    }
  }

  private static void drain(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The process ended.
    }
  }
}
