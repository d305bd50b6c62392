package io.eventplane.server;

import io.eventplane.common.config.EventplaneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the server's AppCDS archive: the build runs it as
 * {@code java -XX:ArchiveClassesAtExit=eventplane.jsa -cp eventplane.jar io.eventplane.server.ClassArchiveTraining DIR},
 * and the JVM writes every class it loaded into the archive when this exits. It starts a node on a
 * scratch data dir and asks what a first client asks (SQS, SNS, S3 over loopback), so the archive
 * holds the classes of start-up and of the first requests; then stops the node and deletes the dir.
 *
 * <p>The requests are written on a plain socket: a JDK HTTP client would put its own classes in
 * the archive, which the server never loads.
 */
public final class ClassArchiveTraining {
  private ClassArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ClassArchiveTraining SCRATCH_DIR (deleted afterwards)");
      System.exit(2);
    }
    Path scratch = Path.of(args[0]);
    deleteRecursively(scratch);
    Files.createDirectories(scratch);
    EventplaneConfig config = ConfigLoader.load(
        new String[] {"--port", "0", "--bind", "127.0.0.1", "--data-dir", scratch.toString()}, Map.of());
    try (EventplaneServer server = EventplaneServer.start(config, Clock.systemUTC())) {
      int port = server.port();
      sqs(port, "ListQueues", "{}");
      String created = sqs(port, "CreateQueue", "{\"QueueName\":\"training\"}");
      String queueUrl = created.replaceAll("(?s).*\"QueueUrl\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      sqs(port, "SendMessage", "{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"hello\"}");
      sqs(port, "ReceiveMessage", "{\"QueueUrl\":\"" + queueUrl + "\",\"WaitTimeSeconds\":0}");
      call(port, "POST / HTTP/1.1", "Content-Type: application/x-www-form-urlencoded",
          "Action=CreateTopic&Name=training&Version=2010-03-31");
      call(port, "PUT /training-bucket HTTP/1.1", null, "");
      call(port, "PUT /training-bucket/object HTTP/1.1", "Content-Type: text/plain", "hello");
      call(port, "GET /training-bucket/object HTTP/1.1", null, "");
    } finally {
      deleteRecursively(scratch);
    }
    System.out.println("class archive training done");
    // The archive is written as the JVM exits; exit now rather than wait for stray non-daemon threads.
    System.exit(0);
  }

  private static String sqs(int port, String action, String json) throws IOException {
    return call(port, "POST / HTTP/1.1",
        "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS." + action, json);
  }

  /** One request on its own connection; the whole answer, which must be a 200. */
  private static String call(int port, String requestLine, String headers, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
        .append("\r\nConnection: close\r\nContent-Length: ").append(bytes.length).append("\r\n");
    if (headers != null) request.append(headers).append("\r\n");
    request.append("\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!answer.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException(requestLine + " answered " + answer.lines().findFirst().orElse("nothing"));
      }
      return answer;
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
