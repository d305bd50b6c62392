package io.eventplane.common.cluster.replication;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * What an owner sends a replica, as one event-bus {@link Buffer}: a committed batch, or one step
 * of a snapshot copy (begin, chunk, end). Each carries the partition, the sender's epoch and the
 * sender, which the replica checks against its placement table before it applies anything.
 *
 * @param seq the batch's sequence number (BATCH), or the snapshot's position (BEGIN, END)
 * @param log a batch log ({@link io.eventplane.common.store.Batch#log()}); empty for BEGIN and END
 */
public record ReplicationMessage(Kind kind, int partition, long epoch, String sender, long seq, byte[] log) {
  public enum Kind { BATCH, SYNC_BEGIN, SYNC_CHUNK, SYNC_END }

  /** Replies. */
  public static final String OK = "ok";
  /** The sender is not the partition's owner at the replica's (newer) epoch: it was deposed. */
  public static final String FENCED = "fenced";
  /** The replica has not seen the sender's epoch yet: send again shortly. */
  public static final String RETRY = "retry";
  /** The replica cannot apply this (a gap, or no copy yet): send it a snapshot. */
  public static final String NEED_SYNC = "sync";

  public static String address(String node) {
    return "eventplane.replica." + node;
  }

  public Buffer encode() {
    byte[] s = sender.getBytes(StandardCharsets.UTF_8);
    Buffer b = Buffer.buffer(32 + s.length + log.length);
    b.appendByte((byte) kind.ordinal()).appendShort((short) partition).appendLong(epoch).appendLong(seq);
    b.appendByte((byte) s.length).appendBytes(s).appendBytes(log);
    return b;
  }

  public static ReplicationMessage decode(Buffer b) {
    Kind kind = Kind.values()[b.getByte(0)];
    int partition = b.getShort(1) & 0xFFFF;
    long epoch = b.getLong(3);
    long seq = b.getLong(11);
    int slen = b.getByte(19) & 0xFF;
    String sender = new String(b.getBytes(20, 20 + slen), StandardCharsets.UTF_8);
    byte[] log = b.getBytes(20 + slen, b.length());
    return new ReplicationMessage(kind, partition, epoch, sender, seq, log);
  }
}
