package io.eventplane.common.id;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identifiers handed to clients (message ids, request ids). Random version-4 UUIDs from the
 * thread's own generator: {@link UUID#randomUUID()} draws from one SecureRandom behind a lock
 * shared by every thread, which the benchmark caught blocking event loops for 10+ ms under load.
 * These ids name things; they are not secrets.
 */
public final class Ids {
  private Ids() {}

  public static String uuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * S3's {@code x-amz-id-2} of a request: derived from the request id, so that the response headers
   * (gateway) and the events the request causes (storage) name it alike.
   */
  public static String hostId(String requestId) {
    return java.util.Base64.getEncoder().encodeToString(
        ("eventplane/" + requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
