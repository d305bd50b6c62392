package io.eventplane.server.firehose;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP endpoint destination for tests: a JDK HttpServer on an ephemeral loopback port that keeps
 * every request it gets and answers as {@link #answer} says (by default as the developer guide
 * specifies: 200, application/json, the request's requestId and a timestamp).
 */
final class TestHttpEndpoint implements AutoCloseable {
  /** A request as the endpoint got it: headers, the raw body and the JSON body (un-gzipped). */
  record Received(Map<String, List<String>> headers, byte[] raw, JsonObject body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    List<String> records() {
      List<String> out = new ArrayList<>();
      for (Object o : body.getJsonArray("records")) {
        out.add(new String(Base64.getDecoder().decode(((JsonObject) o).getString("data")), StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  record Answer(int status, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  /** How the endpoint answers a request. */
  volatile Function<Received, Answer> answer = TestHttpEndpoint::ok;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  TestHttpEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  static Answer ok(Received r) {
    return new Answer(200, new JsonObject().put("requestId", r.body().getString("requestId")).put("timestamp", System.currentTimeMillis())
        .encode());
  }

  /** The endpoint's URL (http, as this server allows for local endpoints), with a path and query it must keep. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest?token=t";
  }

  void reset() {
    received.clear();
    answer = TestHttpEndpoint::ok;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      byte[] json = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes() : raw;
      Received r = new Received(Map.copyOf(exchange.getRequestHeaders()), raw, new JsonObject(new String(json, StandardCharsets.UTF_8)));
      received.add(r);
      Answer a = answer.apply(r);
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
