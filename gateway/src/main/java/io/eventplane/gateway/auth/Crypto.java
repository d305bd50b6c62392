package io.eventplane.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and SHA-256 with one Mac and one digest per thread (event loops verify many requests). */
final class Crypto {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Crypto::newSha256);

  /** SHA-256 of the empty string, hex. */
  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private Crypto() {}

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    return hmac(key, data.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("an HMAC key was refused", e);
    }
    return mac.doFinal(data);
  }

  static String sha256Hex(String data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return hex(digest.digest(data.getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256Hex(io.vertx.core.buffer.Buffer data) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    if (data.length() > 0) digest.update(((io.vertx.core.internal.buffer.BufferInternal) data).getByteBuf().nioBuffer());
    return hex(digest.digest());
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * Whether a provided signature equals the computed one, in time that does not depend on where
   * they differ. Upper-case hex is accepted as AWS does.
   */
  static boolean signatureMatches(String computedLowerHex, String provided) {
    if (provided == null) return false;
    byte[] a = computedLowerHex.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[provided.length()];
    for (int i = 0; i < b.length; i++) {
      char c = provided.charAt(i);
      b[i] = (byte) (c >= 'A' && c <= 'F' ? c + ('a' - 'A') : c);
    }
    return MessageDigest.isEqual(a, b);
  }
}
