package io.eventplane.server.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP to the console, as a browser without script would send it (HTTP/1.1, no redirects followed). */
final class ConsolePages {
  static final String PREFIX = "/_eventplane/console/";
  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

  ConsolePages(URI endpoint) {
    this.endpoint = endpoint;
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  HttpResponse<String> post(String path, String form, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A multipart/form-data POST as a browser sends an upload form: the fields in order, then one file
   * part (Content-Type text/plain).
   */
  HttpResponse<String> multipart(String path, java.util.Map<String, String> fields, String filename, byte[] content,
      String... headers) {
    String boundary = "----console" + System.nanoTime();
    var body = new java.io.ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    fields.forEach((name, value) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
        .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
    head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(filename)
        .append("\"\r\nContent-Type: text/plain\r\n\r\n");
    body.writeBytes(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  URI uri(String path) {
    return endpoint.resolve(path);
  }
}
