package io.eventplane.gateway.binding;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One message of AWS's event stream encoding ({@code application/vnd.amazon.eventstream}), as
 * SubscribeToShard answers: a prelude (total length, headers length, both 4-byte big-endian, and
 * the CRC32 of those 8 bytes), the headers (each a 1-byte name length, the name, type 7 for a
 * string, a 2-byte value length and the value), the payload, and the CRC32 of everything before it.
 */
public final class EventStreamMessage {
  public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
  private static final byte STRING = 7;

  private EventStreamMessage() {}

  /** An event ({@code :message-type event}) of a type, its payload in {@code payloadType}. */
  public static Buffer event(String eventType, String payloadType, byte[] payload) {
    return typed(":event-type", eventType, payloadType, "event", payload);
  }

  /** A modeled exception of the stream ({@code :message-type exception}), which ends it. */
  public static Buffer exception(String exceptionType, String payloadType, byte[] payload) {
    return typed(":exception-type", exceptionType, payloadType, "exception", payload);
  }

  private static Buffer typed(String typeHeader, String type, String payloadType, String messageType, byte[] payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(typeHeader, type);
    headers.put(":content-type", payloadType);
    headers.put(":message-type", messageType);
    return encode(headers, payload);
  }

  /** A message of string headers (in their order) and a payload. */
  public static Buffer encode(Map<String, String> headers, byte[] payload) {
    ByteBuffer h = ByteBuffer.allocate(headersLength(headers));
    for (Map.Entry<String, String> e : headers.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      h.put((byte) name.length).put(name).put(STRING).putShort((short) value.length).put(value);
    }
    int total = 12 + h.capacity() + payload.length + 4;
    ByteBuffer m = ByteBuffer.allocate(total);
    m.putInt(total).putInt(h.capacity());
    m.putInt((int) crc(m.array(), 0, 8));
    m.put(h.array()).put(payload);
    m.putInt((int) crc(m.array(), 0, total - 4));
    return Buffer.buffer(m.array());
  }

  private static int headersLength(Map<String, String> headers) {
    int n = 0;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      int name = e.getKey().getBytes(StandardCharsets.UTF_8).length;
      int value = e.getValue().getBytes(StandardCharsets.UTF_8).length;
      if (name > 255 || value > 65535) throw new IllegalArgumentException("header too long: " + e.getKey());
      n += 1 + name + 1 + 2 + value;
    }
    return n;
  }

  private static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
