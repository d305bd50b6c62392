package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A stream handler: answers with its input in upper case, byte for byte otherwise. */
public class UppercaseStream implements RequestStreamHandler {
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    String in = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    output.write(in.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }
}
