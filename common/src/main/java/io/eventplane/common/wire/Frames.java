package io.eventplane.common.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The shared rules of every frame one node sends another over the clustered event bus: the first
 * byte is the format version, then an int with the length of the rest (so a frame knows where it
 * ends wherever it is embedded); strings are a length and UTF-8 bytes; byte blocks a length and the
 * bytes. {@link Reader} checks every length against what is left, so a truncated or garbled frame
 * fails with {@link WireFormatException} instead of being misread.
 *
 * <p>Earlier builds sent unversioned frames: the bus requests as JSON behind an int length (first
 * byte 0 for anything under 16 MiB) and replication messages starting with a kind from 0 to 3.
 * Versions therefore start at {@link #VERSION} = 5, a first byte no older frame has, so a node of
 * an earlier build is refused cleanly rather than misread.
 */
public final class Frames {
  /** The only version this build writes and reads. */
  public static final byte VERSION = 5;

  private Frames() {}

  /** Starts a frame at the end of {@code b}: version and a length to be set by {@link #finish}; returns where it starts. */
  public static int start(Buffer b) {
    int at = b.length();
    b.appendByte(VERSION).appendInt(0);
    return at;
  }

  /** Sets the length of the frame started at {@code at} to everything appended since. */
  public static Buffer finish(Buffer b, int at) {
    return b.setInt(at + 1, b.length() - at - 5);
  }

  /** A string of up to 65,535 UTF-8 bytes (names, ids, codes); null is not allowed. */
  public static Buffer appendShortString(Buffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) throw new IllegalArgumentException("string too long for a short string: " + bytes.length + " bytes");
    return b.appendUnsignedShort(bytes.length).appendBytes(bytes);
  }

  /** A string of any length (messages); -1 stands for null. */
  public static Buffer appendString(Buffer b, String s) {
    if (s == null) return b.appendInt(-1);
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return b.appendInt(bytes.length).appendBytes(bytes);
  }

  /** A block of bytes behind its int length. */
  public static Buffer appendBlock(Buffer b, Buffer block) {
    return b.appendInt(block.length()).appendBuffer(block);
  }

  public static Buffer appendBlock(Buffer b, byte[] block) {
    return b.appendInt(block.length).appendBytes(block);
  }

  /** Reads a frame from {@code pos}: first its version, then fields in order, each bounds-checked. */
  public static Reader read(Buffer buffer, int pos, String what) {
    return new Reader(buffer, pos, what);
  }

  /** A cursor over one frame. Not thread-safe; one per decode. */
  public static final class Reader {
    private final Buffer b;
    private final String what;
    private int end;
    private int pos;

    private Reader(Buffer b, int pos, String what) {
      this.b = b;
      this.pos = pos;
      this.end = b.length();
      this.what = what;
      byte version = readByte();
      if (version != VERSION) {
        throw new WireFormatException(what + ": wire format version " + version + " is not supported (this node speaks "
            + VERSION + "); is a node of another build in the cluster?");
      }
      int length = readInt();
      need(length);
      this.end = this.pos + length;
    }

    private void need(int n) {
      if (n < 0 || end - pos < n) throw new WireFormatException(what + ": frame truncated or garbled at byte " + pos);
    }

    public byte readByte() {
      need(1);
      return b.getByte(pos++);
    }

    public int readUnsignedShort() {
      need(2);
      int v = b.getUnsignedShort(pos);
      pos += 2;
      return v;
    }

    public int readInt() {
      need(4);
      int v = b.getInt(pos);
      pos += 4;
      return v;
    }

    public long readLong() {
      need(8);
      long v = b.getLong(pos);
      pos += 8;
      return v;
    }

    public String readShortString() {
      int len = readUnsignedShort();
      need(len);
      String s = b.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    public String readString() {
      int len = readInt();
      if (len == -1) return null;
      need(len);
      String s = b.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    /** A block as a slice of the frame: no copy. */
    public Buffer readBlock() {
      int len = readInt();
      need(len);
      Buffer s = b.slice(pos, pos + len);
      pos += len;
      return s;
    }

    public byte[] readBlockBytes() {
      int len = readInt();
      need(len);
      byte[] s = b.getBytes(pos, pos + len);
      pos += len;
      return s;
    }

    /** Whether the frame has bytes not read yet (an optional trailing part). */
    public boolean hasMore() {
      return pos < end;
    }

    /** Fails unless the whole frame was read: trailing bytes mean the frame is not what it claims. */
    public void end() {
      if (pos != end) throw new WireFormatException(what + ": " + (end - pos) + " unexpected bytes after the frame");
    }

    public WireFormatException garbled(String detail) {
      return new WireFormatException(what + ": " + detail);
    }
  }
}
