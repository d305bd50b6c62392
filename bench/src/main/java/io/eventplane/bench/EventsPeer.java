package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server the EventBridge benchmark drives: Eventplane (its jar, single node, its defaults) or
 * moto in server mode, as a child process on a free loopback port with its own temp dir, stopped
 * by {@link #close()} (SIGTERM, SIGKILL after 15 s). Both get the same requests from the same
 * client: AWS JSON 1.1 {@code AWSEvents.*} and JSON 1.0 {@code AmazonSQS.*} with a SigV4-shaped
 * header that neither server verifies (moto takes the region from its credential scope).
 */
final class EventsPeer implements AutoCloseable {
  private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/%s/aws4_request, "
      + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);

  final String name;
  final int port;
  final Path log;
  private final Process process;
  private final Path workDir;
  private final HttpClientAgent http;

  private EventsPeer(String name, int port, Path log, Process process, Path workDir, HttpClientAgent http) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
    this.workDir = workDir;
    this.http = http;
  }

  /** {@code java [jvm] -jar server/target/eventplane.jar --port P --bind 127.0.0.1 --data-dir D [args]}: fsync, one node. */
  static EventsPeer eventplane(String name, Path root, List<String> jvm, List<String> args, Path logDir,
      HttpClientAgent http) throws IOException {
    int port = LocalPorts.free(new java.util.HashSet<>(), false);
    Path work = Files.createTempDirectory("eventplane-eb-bench-" + name + "-");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", root.resolve("server/target/eventplane.jar").toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--data-dir", Files.createDirectories(work.resolve("data")).toString()));
    cmd.addAll(args);
    return start(name, port, cmd, work, logDir, http);
  }

  /** {@code python3 -m moto.server -H 127.0.0.1 -p P}: moto's in-memory server, all services on one port. */
  static EventsPeer moto(String python, Path logDir, HttpClientAgent http) throws IOException {
    int port = LocalPorts.free(new java.util.HashSet<>(), false);
    Path work = Files.createTempDirectory("eventplane-eb-bench-moto-");
    return start("moto", port, List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port)), work,
        logDir, http);
  }

  private static EventsPeer start(String name, int port, List<String> cmd, Path work, Path logDir, HttpClientAgent http)
      throws IOException {
    Path log = logDir.resolve(name + "-" + port + ".log");
    Files.writeString(log, String.join(" ", cmd) + "\n");
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    return new EventsPeer(name, port, log, p, work, http);
  }

  long pid() {
    return process.pid();
  }

  /** Waits until ListEventBuses answers 200: the first served EventBridge call. */
  long awaitServing(int seconds) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException(name + " exited; see " + log);
      try {
        events("ListEventBuses", new JsonObject()).await(2, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1_000_000;
      } catch (Exception e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(name + " did not answer ListEventBuses within " + seconds + " s; see " + log);
  }

  Future<JsonObject> events(String action, JsonObject body) {
    return call("application/x-amz-json-1.1", "AWSEvents." + action, "events", body);
  }

  Future<JsonObject> sqs(String action, JsonObject body) {
    return call("application/x-amz-json-1.0", "AmazonSQS." + action, "sqs", body);
  }

  JsonObject eventsNow(String action, JsonObject body) throws Exception {
    return events(action, body).await(120, TimeUnit.SECONDS);
  }

  JsonObject sqsNow(String action, JsonObject body) throws Exception {
    return sqs(action, body).await(120, TimeUnit.SECONDS);
  }

  private Future<JsonObject> call(String contentType, String target, String service, JsonObject body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/")
        .putHeader("Content-Type", contentType).putHeader("X-Amz-Target", target)
        .putHeader("X-Amz-Date", "20260101T000000Z").putHeader("Authorization", String.format(AUTH, service));
    return http.request(o).compose(r -> r.send(body.toBuffer())).compose(r -> r.body().compose(b -> r.statusCode() == 200
        ? Future.succeededFuture(b.length() == 0 ? new JsonObject() : b.toJsonObject())
        : Future.failedFuture(name + " " + target + " -> " + r.statusCode() + " " + b)));
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, workDir);
  }
}
