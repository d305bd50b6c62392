package io.eventplane.kinesis.domain;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A shard iterator: where a reader is (stream, incarnation, shard, next position) and when the
 * iterator was made, so that it expires {@link KinesisErrors#ITERATOR_MILLIS} later. It carries the
 * stream's account, region and name so that GetRecords, which names nothing else, reaches the
 * stream's partition. Opaque to clients: base64 of a versioned binary form.
 */
public record ShardIterator(StreamRef stream, long streamId, int shard, long position, long createdMillis) {
  private static final byte VERSION = 1;

  public String encode() {
    byte[] a = stream.account().getBytes(StandardCharsets.UTF_8);
    byte[] r = stream.region().getBytes(StandardCharsets.UTF_8);
    byte[] n = stream.name().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8 + 8 + 3 + a.length + r.length + n.length);
    b.put(VERSION).putLong(streamId).putInt(shard).putLong(position).putLong(createdMillis);
    b.put((byte) a.length).put(a).put((byte) r.length).put(r).put((byte) n.length).put(n);
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The iterator a string encodes, or null when it is not one. */
  public static ShardIterator decode(String s) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s));
      if (b.get() != VERSION) return null;
      long id = b.getLong();
      int shard = b.getInt();
      long position = b.getLong();
      long created = b.getLong();
      String account = string(b);
      String region = string(b);
      String name = string(b);
      if (b.hasRemaining() || name.isEmpty()) return null;
      return new ShardIterator(new StreamRef(account, region, name), id, shard, position, created);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      return null;
    }
  }

  private static String string(ByteBuffer b) {
    byte[] s = new byte[b.get() & 0xFF];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
