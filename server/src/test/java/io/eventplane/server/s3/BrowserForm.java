package io.eventplane.server.s3;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A browser's HTML-form POST upload (no SDK sends one): fields in order, then the file, as
 * {@code multipart/form-data} to a bucket's path on an endpoint.
 */
public final class BrowserForm {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final String boundary = "----eventplane" + Long.toHexString(new Random().nextLong());
  final Map<String, String> fields = new LinkedHashMap<>();
  String filename = "photo.jpg";
  byte[] file;

  public BrowserForm field(String name, String value) {
    fields.put(name, value);
    return this;
  }

  public BrowserForm file(String name, byte[] bytes) {
    this.filename = name;
    this.file = bytes;
    return this;
  }

  public byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
        + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
    if (file != null) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Posts the form to {@code bucket} (path style) on {@code endpoint}. */
  public HttpResponse<String> post(URI endpoint, String bucket) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/" + bucket))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body())).build(), HttpResponse.BodyHandlers.ofString());
  }
}
