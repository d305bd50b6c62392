package io.eventplane.server.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One node's {@code GET /metrics}, plainly as Prometheus fetches it (unsigned), with its samples parsed. */
record Scrape(int status, String contentType, String body, List<Sample> samples) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( \\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  record Sample(String name, Map<String, String> labels, double value) {
    boolean has(Map<String, String> wanted) {
      return labels.entrySet().containsAll(wanted.entrySet());
    }
  }

  static Scrape of(URI endpoint) {
    return of(endpoint, null);
  }

  static Scrape of(URI endpoint, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/metrics")).GET();
    if (accept != null) request.header("Accept", accept);
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Scrape(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
          parse(response.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Sample> parse(String body) {
    List<Sample> samples = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      Matcher m = LINE.matcher(line);
      if (!m.matches()) continue;
      Map<String, String> labels = new java.util.HashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) labels.put(l.group(1), l.group(2));
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return samples;
  }

  /** The sum of the samples of this name whose labels include these. */
  double sum(String name, Map<String, String> labels) {
    double total = 0;
    for (Sample s : samples) if (s.name().equals(name) && s.has(labels)) total += s.value();
    return total;
  }

  boolean has(String name, Map<String, String> labels) {
    for (Sample s : samples) if (s.name().equals(name) && s.has(labels)) return true;
    return false;
  }
}
