package io.eventplane.common.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-ordered key encoding: big-endian numbers and length-free strings so that range scans give order. */
public final class Keys {
  private Keys() {}

  public static Builder builder(int capacityHint) {
    return new Builder(capacityHint);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The smallest key greater than every key that starts with {@code prefix}. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    throw new IllegalArgumentException("prefix has no upper bound");
  }

  public static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) return false;
    return Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  public static long readLong(byte[] key, int offset) {
    return ByteBuffer.wrap(key, offset, 8).getLong();
  }

  public static final class Builder {
    private ByteBuffer buf;

    private Builder(int capacity) {
      buf = ByteBuffer.allocate(Math.max(16, capacity));
    }

    private void ensure(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    public Builder bytes(byte[] b) {
      ensure(b.length);
      buf.put(b);
      return this;
    }

    public Builder string(String s) {
      return bytes(utf8(s));
    }

    /** A string followed by a 0 separator, so that "a" sorts before "a-b" and prefixes do not collide. */
    public Builder part(String s) {
      bytes(utf8(s));
      ensure(1);
      buf.put((byte) 0);
      return this;
    }

    public Builder u8(int b) {
      ensure(1);
      buf.put((byte) b);
      return this;
    }

    public Builder u64(long v) {
      ensure(8);
      buf.putLong(v);
      return this;
    }

    public byte[] build() {
      return Arrays.copyOf(buf.array(), buf.position());
    }
  }
}
