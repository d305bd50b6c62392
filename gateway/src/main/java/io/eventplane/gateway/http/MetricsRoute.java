package io.eventplane.gateway.http;

import io.eventplane.common.metrics.MetricsFormat;
import io.eventplane.common.metrics.NodeMetrics;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code GET /metrics}: this node's metrics for Prometheus, in the text format 0.0.4 or, when the
 * scrape's {@code Accept} asks for it, OpenMetrics 1.0. Not signed, like the health check (Prometheus
 * does not sign its scrapes); a signed request to {@code /metrics} is S3's (a bucket named metrics).
 * The scrape runs on a worker: gauges read RocksDB properties. With {@code --metrics off}: 404.
 */
final class MetricsRoute {
  static final String PATH = "/metrics";

  private final NodeMetrics metrics;
  private final Vertx vertx;

  /** The node's metrics this route serves (the console reads some of them too). */
  NodeMetrics nodeMetrics() {
    return metrics;
  }

  MetricsRoute(NodeMetrics metrics, Vertx vertx) {
    this.metrics = metrics;
    this.vertx = vertx;
  }

  /** Whether the request is a scrape: {@code /metrics}, unsigned, not to a virtual-hosted bucket. */
  static boolean isScrape(HttpServerRequest request) {
    return request.path().equals(PATH)
        && request.getHeader("Authorization") == null
        && request.getParam("X-Amz-Signature") == null
        && request.getParam("X-Amz-Credential") == null
        && io.eventplane.gateway.s3.S3Request.virtualHostBucket(request.getHeader("Host")) == null;
  }

  void handle(HttpServerRequest request) {
    if (!metrics.enabled() || vertx == null) {
      Replies.send(request, error(404, "NotFound", "Metrics are off on this node (--metrics off)."));
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      Replies.send(request, error(405, "MethodNotAllowed", "Use GET."));
      return;
    }
    MetricsFormat format = MetricsFormat.accepted(request.getHeader("Accept"));
    metrics.refreshGauges()
        .compose(v -> vertx.executeBlocking(() -> metrics.scrape(format.contentType()), false))
        .onComplete(done -> {
      if (done.succeeded()) {
        Replies.send(request, WireResponse.of(200, format.contentType(), done.result()));
      } else {
        Replies.send(request, error(500, "InternalFailure", "Could not read the metrics: " + done.cause().getMessage()));
      }
    });
  }

  private static WireResponse error(int status, String type, String message) {
    return WireResponse.of(status, "application/json", new JsonObject().put("__type", type).put("message", message).encode());
  }
}
