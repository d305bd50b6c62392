package io.eventplane.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's static files: htmx, its SSE extension and uPlot from their Maven Central webjars
 * (versions as in the gateway's pom), and the console's own script and style sheet. Served by a
 * fixed name (nothing else on the classpath is reachable), read once off the event loop and kept.
 */
final class Assets {
  static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js";
  static final String HTMX_SSE = "META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js";
  static final String UPLOT_JS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
  static final String UPLOT_CSS = "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css";
  private static final String OWN = "io/eventplane/gateway/console/";

  /** File name in the console's URL space to classpath resource. */
  static final Map<String, String> FILES = Map.of(
      "htmx.min.js", HTMX,
      "sse.js", HTMX_SSE,
      "uPlot.iife.min.js", UPLOT_JS,
      "uPlot.min.css", UPLOT_CSS,
      "console.js", OWN + "console.js",
      "console.css", OWN + "console.css");

  record Asset(byte[] bytes, String contentType) {}

  private final Vertx vertx;
  private final Map<String, Future<Asset>> loaded = new ConcurrentHashMap<>();

  Assets(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The file, or a failed future when no such file is served. */
  Future<Asset> get(String name) {
    String resource = FILES.get(name);
    if (resource == null) return Future.failedFuture("no such asset");
    return loaded.computeIfAbsent(name, n -> vertx.executeBlocking(() -> read(resource), false)
        .map(bytes -> new Asset(bytes, contentType(n))));
  }

  static byte[] read(String resource) throws IOException {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("missing console asset " + resource);
      return in.readAllBytes();
    }
  }

  private static String contentType(String name) {
    return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
  }
}
