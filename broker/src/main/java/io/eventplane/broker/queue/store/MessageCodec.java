package io.eventplane.broker.queue.store;

import io.eventplane.broker.queue.domain.AttributeValue;
import io.eventplane.broker.queue.domain.MessageState;
import io.eventplane.broker.queue.domain.StoredMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binary encodings of a stored message and of its delivery state. Version byte first. */
public final class MessageCodec {
  private static final int VERSION = 1;

  private MessageCodec() {}

  public static byte[] encode(StoredMessage m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + m.body().length() * 2);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      writeString(out, m.messageId());
      writeString(out, m.body());
      out.writeLong(m.sentTimestamp());
      writeString(out, m.senderId());
      writeString(out, m.groupId());
      writeString(out, m.deduplicationId());
      writeAttributes(out, m.messageAttributes());
      writeAttributes(out, m.systemAttributes());
      writeString(out, m.deadLetterSourceArn());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static StoredMessage decode(byte[] value) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
      int version = in.readByte();
      if (version != VERSION) throw new IllegalStateException("unknown message encoding " + version);
      return new StoredMessage(
          readString(in), readString(in), in.readLong(), readString(in), readString(in), readString(in),
          readAttributes(in), readAttributes(in), readString(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) return null;
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    return n < 0 ? null : in.readNBytes(n);
  }

  private static void writeAttributes(DataOutputStream out, Map<String, AttributeValue> attrs) throws IOException {
    out.writeInt(attrs.size());
    for (Map.Entry<String, AttributeValue> e : attrs.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue().dataType());
      writeString(out, e.getValue().stringValue());
      writeBytes(out, e.getValue().binaryValue());
    }
  }

  private static Map<String, AttributeValue> readAttributes(DataInputStream in) throws IOException {
    int n = in.readInt();
    Map<String, AttributeValue> attrs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      attrs.put(readString(in), new AttributeValue(readString(in), readString(in), readBytes(in)));
    }
    return attrs;
  }
}
