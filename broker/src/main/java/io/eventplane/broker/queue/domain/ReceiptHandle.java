package io.eventplane.broker.queue.domain;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque to clients: which queue (by its incarnation id), which message, and which receive. A new
 * receive of the same message gets a new token, which makes older handles stale.
 */
public record ReceiptHandle(long queueId, long seq, long token) {
  private static final byte VERSION = 1;
  private static final int LENGTH = 1 + 8 + 8 + 8 + 4;

  public String encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(VERSION).putLong(queueId).putLong(seq).putLong(token);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, LENGTH - 4);
    b.putInt((int) crc.getValue());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** Decodes a handle, or throws ReceiptHandleIsInvalid. */
  public static ReceiptHandle decode(String handle) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(handle);
    } catch (IllegalArgumentException e) {
      throw QueueErrors.receiptHandleInvalid(handle);
    }
    if (raw.length != LENGTH || raw[0] != VERSION) throw QueueErrors.receiptHandleInvalid(handle);
    CRC32 crc = new CRC32();
    crc.update(raw, 0, LENGTH - 4);
    ByteBuffer b = ByteBuffer.wrap(raw);
    if (b.getInt(LENGTH - 4) != (int) crc.getValue()) throw QueueErrors.receiptHandleInvalid(handle);
    return new ReceiptHandle(b.getLong(1), b.getLong(9), b.getLong(17));
  }
}
