package io.eventplane.firehose.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLException;

/**
 * One delivery request to an HTTP endpoint destination, as the developer guide's "HTTP endpoint
 * delivery request and response specifications" give it: a POST to the configured Url with
 * X-Amz-Firehose-Protocol-Version 1.0, X-Amz-Firehose-Request-Id (the same on every attempt of a
 * batch), X-Amz-Firehose-Source-Arn, X-Amz-Firehose-Access-Key (when configured),
 * X-Amz-Firehose-Common-Attributes ({@code {"commonAttributes":{...}}}, when any are configured),
 * Content-Type application/json and Content-Encoding gzip when GZIP is configured; the body
 * {@code {"requestId", "timestamp" (ms), "records":[{"data": base64}]}}. Delivered only on a 200 with
 * an application/json body {@code {"requestId" (the same), "timestamp" (a number)}}; anything else
 * is a failure with the error code the troubleshooting guide names (HttpEndpoint.DestinationException,
 * .InvalidResponseFromDestination, .RequestTimeout after 3 minutes, .ResponseTooLarge over 1 MiB,
 * .ConnectionFailed, .ConnectionReset, .SSLHandshakeFailure). Asynchronous: the body is built off the
 * event loop and the call made with the Vert.x HTTP client.
 */
final class HttpEndpointDelivery {
  static final String KIND = "HttpEndpoint";
  private static final long TIMEOUT_MILLIS = 180_000;
  private static final int MAX_RESPONSE = 1024 * 1024;
  private static final int SHOWN = 1024;

  /** What an attempt came to: delivered, or the error code and message of its failure. */
  record Result(boolean delivered, String errorCode, String errorMessage) {
    static Result failed(String code, String message) {
      return new Result(false, code, message);
    }
  }

  private final Vertx vertx;
  private final Clock clock;
  private final HttpClient http;

  HttpEndpointDelivery(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
  }

  void close() {
    http.close();
  }

  static boolean is(JsonObject destination) {
    return KIND.equals(destination.getString("Kind"));
  }

  /** Sends {@code records} once to the endpoint of destination {@code d}; never fails, answers the {@link Result}. */
  Future<Result> post(JsonObject d, String streamArn, String requestId, List<byte[]> records) {
    JsonObject endpoint = d.getJsonObject("EndpointConfiguration");
    JsonObject request = d.getJsonObject("RequestConfiguration", new JsonObject());
    boolean gzip = "GZIP".equals(request.getString("ContentEncoding"));
    long timestamp = clock.millis();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint.getString("Url"))
        .setIdleTimeout(TIMEOUT_MILLIS).setConnectTimeout(TIMEOUT_MILLIS)
        .putHeader("X-Amz-Firehose-Protocol-Version", "1.0").putHeader("X-Amz-Firehose-Request-Id", requestId)
        .putHeader("X-Amz-Firehose-Source-Arn", streamArn).putHeader("Content-Type", "application/json");
    if (endpoint.getString("AccessKey") != null) options.putHeader("X-Amz-Firehose-Access-Key", endpoint.getString("AccessKey"));
    JsonArray attributes = request.getJsonArray("CommonAttributes", new JsonArray());
    if (!attributes.isEmpty()) {
      JsonObject common = new JsonObject();
      for (Object o : attributes) {
        JsonObject a = (JsonObject) o;
        common.put(a.getString("AttributeName"), a.getString("AttributeValue"));
      }
      options.putHeader("X-Amz-Firehose-Common-Attributes", new JsonObject().put("commonAttributes", common).encode());
    }
    if (gzip) options.putHeader("Content-Encoding", "gzip");
    return vertx.executeBlocking(() -> body(requestId, timestamp, records, gzip), false)
        .compose(body -> http.request(options).compose(req -> req.send(Buffer.buffer(body))))
        .compose(resp -> read(resp).map(b -> b == null ? tooLarge() : answer(resp, b, requestId)))
        .otherwise(HttpEndpointDelivery::failure);
  }

  private static byte[] body(String requestId, long timestamp, List<byte[]> records, boolean gzip) throws IOException {
    JsonArray list = new JsonArray();
    Base64.Encoder base64 = Base64.getEncoder();
    for (byte[] r : records) list.add(new JsonObject().put("data", base64.encodeToString(r)));
    byte[] json = new JsonObject().put("requestId", requestId).put("timestamp", timestamp).put("records", list).encode()
        .getBytes(StandardCharsets.UTF_8);
    if (!gzip) return json;
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(json);
    }
    return out.toByteArray();
  }

  /** The response body, or null once it passes 1 MiB (the rest is not read: the connection is reset). */
  private static Future<Buffer> read(HttpClientResponse resp) {
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_RESPONSE) {
        if (read.tryComplete(null)) resp.request().reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    resp.endHandler(v -> read.tryComplete(body));
    resp.exceptionHandler(read::tryFail);
    return read.future();
  }

  private static Result tooLarge() {
    return Result.failed("HttpEndpoint.ResponseTooLarge", "The response received from the endpoint is larger than 1 MiB.");
  }

  private static Result answer(HttpClientResponse resp, Buffer body, String requestId) {
    String text = body.toString(StandardCharsets.UTF_8);
    String shown = text.length() > SHOWN ? text.substring(0, SHOWN) : text;
    if (resp.statusCode() != 200) {
      return Result.failed("HttpEndpoint.DestinationException",
          "The following response was received from the endpoint destination. " + resp.statusCode() + ": " + shown);
    }
    String contentType = resp.getHeader("Content-Type");
    JsonObject json;
    try {
      json = contentType != null && contentType.toLowerCase().startsWith("application/json") ? new JsonObject(text) : null;
    } catch (DecodeException | ClassCastException e) {
      json = null;
    }
    if (json == null || !requestId.equals(json.getValue("requestId")) || !(json.getValue("timestamp") instanceof Number)) {
      return Result.failed("HttpEndpoint.InvalidResponseFromDestination", "The response received from the specified endpoint is"
          + " invalid. Contact the owner of the endpoint to resolve the issue. Response for request " + requestId
          + " is not recognized as valid JSON or has unexpected fields. Raw response received: " + resp.statusCode() + " " + shown);
    }
    return new Result(true, null, null);
  }

  private static Result failure(Throwable x) {
    if (x instanceof TimeoutException || x.getClass().getSimpleName().contains("Timeout")) {
      return Result.failed("HttpEndpoint.RequestTimeout", "The endpoint did not respond within 3 minutes.");
    }
    if (x instanceof SSLException) {
      return Result.failed("HttpEndpoint.SSLHandshakeFailure", "Unable to complete an SSL Handshake with the endpoint. " + x.getMessage());
    }
    if (x instanceof ConnectException || x instanceof java.net.UnknownHostException) {
      return Result.failed("HttpEndpoint.ConnectionFailed", "Unable to connect to the endpoint. " + x.getMessage());
    }
    return Result.failed("HttpEndpoint.ConnectionReset", "The connection to the endpoint was reset or closed. " + x.getMessage());
  }
}
