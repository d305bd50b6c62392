package io.eventplane.gateway.http;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.stream.BodyFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code x-amz-content-sha256}: what a SigV4 request says of its payload. A hex SHA-256 is checked
 * against the body as it streams (SigV4 signs the hash, so a body that does not match it is refused
 * before anything is stored); the other values say the payload is unsigned or signed chunk by chunk.
 */
final class PayloadHash extends BodyFilter {
  private static final Set<String> NAMED = Set.of("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final MessageDigest sha256 = newDigest();

  private PayloadHash(ReadStream<Buffer> source) {
    super(source);
  }

  /** InvalidArgument for a value that is none of those S3 knows, else null. */
  static ServiceError malformed(String header) {
    if (header == null || NAMED.contains(header) || HEX.matcher(header).matches()) return null;
    return new ServiceError("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
        + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.", Fault.SENDER,
        new JsonObject().put("ArgumentName", "x-amz-content-sha256").put("ArgumentValue", header));
  }

  /** Whether the header is a hash of the whole payload (which is then checked). */
  static boolean isHash(String header) {
    return header != null && HEX.matcher(header).matches();
  }

  /** The body, digested on its way through. */
  static PayloadHash of(ReadStream<Buffer> body) {
    return new PayloadHash(body);
  }

  /** The error for a payload whose hash is not the declared one, or null when it is. */
  static ServiceError mismatch(String declared, byte[] computed) {
    String actual = HexFormat.of().formatHex(computed);
    if (actual.equals(declared.toLowerCase(Locale.ROOT))) return null;
    return new ServiceError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was "
        + "computed.", Fault.SENDER, new JsonObject().put("ClientComputedContentSHA256", declared)
        .put("S3ComputedContentSHA256", actual));
  }

  static byte[] digest(Buffer body) {
    return newDigest().digest(body.getBytes());
  }

  /** The SHA-256 of what went through; call once the stream has ended. */
  byte[] digest() {
    return sha256.digest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  protected void onBuffer(Buffer buffer) {
    sha256.update(buffer.getBytes());
    emit(buffer);
  }
}
