package io.eventplane.broker.queue.domain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** The MD5 digests SQS returns and SDKs verify: of the body, and of message (system) attributes. */
public final class Md5Digests {
  private Md5Digests() {}

  public static String ofBody(String body) {
    return hex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The documented attribute digest: attributes sorted by name, each as length-prefixed name, data
   * type, a transport byte (1 string/number, 2 binary) and length-prefixed value. Null when empty.
   */
  public static String ofAttributes(Map<String, AttributeValue> attributes) {
    if (attributes == null || attributes.isEmpty()) return null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, AttributeValue> e : new TreeMap<>(attributes).entrySet()) {
      AttributeValue v = e.getValue();
      writeLengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      writeLengthPrefixed(out, v.dataType().getBytes(StandardCharsets.UTF_8));
      if (v.isBinary()) {
        out.write(2);
        writeLengthPrefixed(out, v.binaryValue());
      } else {
        out.write(1);
        writeLengthPrefixed(out, v.stringValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return hex(md5().digest(out.toByteArray()));
  }

  private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  /**
   * One MD5 per thread, reused: {@code getInstance} looks the provider up and builds a new digest
   * on every call, and this runs for every message sent and received. {@code digest()} resets it.
   */
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private static MessageDigest md5() {
    MessageDigest md5 = MD5.get();
    md5.reset();
    return md5;
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
