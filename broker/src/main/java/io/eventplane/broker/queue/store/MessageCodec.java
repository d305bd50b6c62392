package io.eventplane.broker.queue.store;

import io.eventplane.broker.queue.domain.AttributeValue;
import io.eventplane.broker.queue.domain.MessageState;
import io.eventplane.broker.queue.domain.StoredMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binary encodings of a stored message and of its delivery state. Version byte first. */
public final class MessageCodec {
  private static final int VERSION = 1;

  private MessageCodec() {}

  /**
   * Into an array of exactly the encoded size (strings measured first), so a message costs one
   * array its size, not a growing stream and a copy of it: this runs for every message sent.
   */
  public static byte[] encode(StoredMessage m) {
    byte[] body = m.body().getBytes(StandardCharsets.UTF_8);
    int size = 1 + sizeOf(m.messageId()) + 4 + body.length + 8 + sizeOf(m.senderId()) + sizeOf(m.groupId())
        + sizeOf(m.deduplicationId()) + sizeOf(m.messageAttributes()) + sizeOf(m.systemAttributes())
        + sizeOf(m.deadLetterSourceArn());
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    putString(out, m.messageId());
    out.putInt(body.length).put(body);
    out.putLong(m.sentTimestamp());
    putString(out, m.senderId());
    putString(out, m.groupId());
    putString(out, m.deduplicationId());
    putAttributes(out, m.messageAttributes());
    putAttributes(out, m.systemAttributes());
    putString(out, m.deadLetterSourceArn());
    if (out.hasRemaining()) throw new IllegalStateException("message encoding measured " + size + " bytes, wrote " + out.position());
    return out.array();
  }

  /**
   * Reads straight from the array (no stream, strings decoded in place): a receive of a cached
   * message runs this for every message it returns.
   */
  public static StoredMessage decode(byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(value);
    int version = in.get();
    if (version != VERSION) throw new IllegalStateException("unknown message encoding " + version);
    return new StoredMessage(
        readString(in), readString(in), in.getLong(), readString(in), readString(in), readString(in),
        readAttributes(in), readAttributes(in), readString(in));
  }

  /** The delivery state: everything the in-memory index needs, so start-up reads no bodies. */
  static byte[] encodeState(MessageState s) {
    byte[] group = s.groupId() == null ? new byte[0] : s.groupId().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + 8 + 8 + 4 + 1 + 4 + group.length);
    b.put((byte) VERSION).putLong(s.sentTimestamp()).putLong(s.visibleAt()).putInt(s.receiveCount())
        .putLong(s.firstReceiveTimestamp()).putLong(s.receiptToken()).putInt(s.size())
        .put((byte) (s.groupId() == null ? 0 : 1)).putInt(group.length).put(group);
    return b.array();
  }

  static MessageState decodeState(long seq, byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    int version = b.get();
    if (version != VERSION) throw new IllegalStateException("unknown state encoding " + version);
    long sent = b.getLong();
    long visibleAt = b.getLong();
    int receiveCount = b.getInt();
    long firstReceive = b.getLong();
    long token = b.getLong();
    int size = b.getInt();
    boolean hasGroup = b.get() == 1;
    byte[] group = new byte[b.getInt()];
    b.get(group);
    String groupId = hasGroup ? new String(group, StandardCharsets.UTF_8) : null;
    return new MessageState(seq, groupId, sent, size, visibleAt, receiveCount, firstReceive, token);
  }

  private static int sizeOf(String s) {
    return s == null ? 4 : 4 + utf8Length(s);
  }

  /** What {@code s.getBytes(UTF_8).length} would be, without the array. */
  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++; // a lone surrogate: getBytes writes '?'
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static void putString(ByteBuffer out, String s) {
    if (s == null) {
      out.putInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.putInt(b.length).put(b);
  }

  private static void putBytes(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
      return;
    }
    out.putInt(b.length).put(b);
  }

  private static int sizeOf(Map<String, AttributeValue> attrs) {
    int n = 4;
    for (Map.Entry<String, AttributeValue> e : attrs.entrySet()) {
      AttributeValue v = e.getValue();
      n += sizeOf(e.getKey()) + sizeOf(v.dataType()) + sizeOf(v.stringValue())
          + (v.binaryValue() == null ? 4 : 4 + v.binaryValue().length);
    }
    return n;
  }

  private static void putAttributes(ByteBuffer out, Map<String, AttributeValue> attrs) {
    out.putInt(attrs.size());
    for (Map.Entry<String, AttributeValue> e : attrs.entrySet()) {
      putString(out, e.getKey());
      putString(out, e.getValue().dataType());
      putString(out, e.getValue().stringValue());
      putBytes(out, e.getValue().binaryValue());
    }
  }

  private static String readString(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0) return null;
    String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private static byte[] readBytes(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0) return null;
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static Map<String, AttributeValue> readAttributes(ByteBuffer in) {
    int n = in.getInt();
    if (n == 0) return Map.of();
    Map<String, AttributeValue> attrs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      attrs.put(readString(in), new AttributeValue(readString(in), readString(in), readBytes(in)));
    }
    return attrs;
  }
}
