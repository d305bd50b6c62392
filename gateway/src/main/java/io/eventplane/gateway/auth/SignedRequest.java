package io.eventplane.gateway.auth;

import java.util.List;
import java.util.function.Supplier;

/**
 * The parts of an HTTP request that Signature Version 4 signs, as they arrived: the method, the
 * path and query exactly as sent (still percent-encoded), the headers, and the body's SHA-256 for
 * requests whose {@code x-amz-content-sha256} header does not declare it. No Vert.x types: the
 * verifier is a pure function of these parts and the clock.
 *
 * @param rawPath the request target's path, percent-encoded as sent ({@code /my%20bucket/a%2Bb})
 * @param rawQuery the query string as sent, without the {@code ?}; empty or null when there is none
 * @param bodySha256 the lower-case hex SHA-256 of the body, asked for only when the request does not
 *     declare one (services other than S3 always sign the body's hash); null when the caller cannot
 *     supply it (a streamed body), which fails such a request as a signature mismatch
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Headers headers, Supplier<String> bodySha256) {
  /** A request's headers, looked up by lower-case name; every value of a repeated header, in order. */
  @FunctionalInterface
  public interface Headers {
    /** Every value of the header (empty when absent). */
    List<String> all(String lowerCaseName);

    /** The first value of the header, or null. */
    default String first(String lowerCaseName) {
      List<String> values = all(lowerCaseName);
      return values.isEmpty() ? null : values.get(0);
    }
  }

  public SignedRequest {
    if (method == null || method.isEmpty()) throw new IllegalArgumentException("method");
    if (rawPath == null) throw new IllegalArgumentException("rawPath");
    if (rawQuery == null) rawQuery = "";
    if (headers == null) throw new IllegalArgumentException("headers");
  }
}
