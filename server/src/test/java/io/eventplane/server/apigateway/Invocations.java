package io.eventplane.server.apigateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Requests to HTTP APIs' invoke URLs with a plain HTTP client, as any app or device sends them. */
final class Invocations {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private Invocations() {}

  /** The path-form invoke URL of {@code path} (stage included, {@code /prod/orders}) on a node. */
  /** The integration URI by which API Gateway invokes a function (a REST integration's or an authorizer's). */
  static String lambdaUri(String functionArn) {
    return "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
  }

  static URI url(URI endpoint, String apiId, String path) {
    return URI.create(endpoint + "/_eventplane/execute-api/" + apiId + path);
  }

  /** Sends a request; {@code headers} are name, value pairs. */
  static HttpResponse<byte[]> send(URI endpoint, String apiId, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(endpoint, apiId, path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
