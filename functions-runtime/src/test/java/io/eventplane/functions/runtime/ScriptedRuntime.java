package io.eventplane.functions.runtime;

import io.eventplane.functions.bootstrap.EndMarker;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A runtime for {@link WorkerEndMarkerTest}'s worker, run as its process: takes one invocation
 * from the Runtime API, prints to standard output and error (the last text without a newline),
 * answers, then writes the invocation's end marker as Eventplane's java bootstrap does, and asks
 * for the next invocation (which never comes: the test stops the worker).
 */
public final class ScriptedRuntime {
  private ScriptedRuntime() {}

  public static void main(String[] args) throws IOException {
    String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
    HttpURLConnection next = (HttpURLConnection) URI.create(api + "next").toURL().openConnection();
    String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
    try (InputStream in = next.getInputStream()) {
      in.readAllBytes();
    }
    System.out.println("handler line 1");
    System.err.println("on stderr");
    System.out.println();
    System.out.print("no newline");
    System.out.flush();
    HttpURLConnection response = (HttpURLConnection) URI.create(api + requestId + "/response").toURL().openConnection();
    response.setRequestMethod("POST");
    response.setDoOutput(true);
    response.getOutputStream().write("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    if (response.getResponseCode() != 202) throw new IllegalStateException("response refused: " + response.getResponseCode());
    System.out.write(EndMarker.line(requestId));
    System.out.flush();
    HttpURLConnection again = (HttpURLConnection) URI.create(api + "next").toURL().openConnection();
    again.getResponseCode();
  }
}
