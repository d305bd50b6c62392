package io.eventplane.common.cluster.replication;

import io.eventplane.common.wire.Frames;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What an owner sends a replica: a committed batch, or one step of a snapshot copy (begin, chunk,
 * end). Each carries the partition, the sender's epoch and the sender, which the replica checks
 * against its placement table before it applies anything.
 *
 * <p>On the wire messages travel in groups: one event-bus {@link Buffer} holds every message ready
 * for the same replica node at the same time (see {@link ReplicationOutbox}), in the order they
 * were sent, and the replica answers the group with one {@link #encodeVerdicts ack frame} holding
 * one {@link Verdict} per message, in the same order. Both are versioned {@link Frames}.
 *
 * @param seq the batch's sequence number (BATCH), or the snapshot's position (BEGIN, END)
 * @param log a batch log ({@link io.eventplane.common.store.Batch#log()}); empty for BEGIN and END
 */
public record ReplicationMessage(Kind kind, int partition, long epoch, String sender, long seq, byte[] log) {
  public enum Kind { BATCH, SYNC_BEGIN, SYNC_CHUNK, SYNC_END }

  /** A replica's answer to one message. */
  public enum Verdict {
    /** Applied and durable (or already applied before). */
    OK,
    /** The sender is not the partition's owner at the replica's (newer) epoch: it was deposed. */
    FENCED,
    /** The replica has not seen the sender's epoch yet: send again shortly. */
    RETRY,
    /** The replica cannot apply this (a gap, or no copy yet): send it a snapshot. */
    NEED_SYNC
  }

  private static final String GROUP = "replication group";
  private static final String ACK = "replication ack";

  public static String address(String node) {
    return "eventplane.replica." + node;
  }

  /** One frame holding the messages in order. */
  public static Buffer encodeGroup(List<ReplicationMessage> messages) {
    int size = 16;
    for (ReplicationMessage m : messages) size += 40 + m.sender.length() + m.log.length;
    Buffer b = Buffer.buffer(size);
    int at = Frames.start(b);
    b.appendInt(messages.size());
    for (ReplicationMessage m : messages) {
      b.appendByte((byte) m.kind.ordinal()).appendUnsignedShort(m.partition).appendLong(m.epoch).appendLong(m.seq);
      Frames.appendShortString(b, m.sender);
      Frames.appendBlock(b, m.log);
    }
    return Frames.finish(b, at);
  }

  /** The messages of a group frame, in order; a frame this node cannot read fails as a whole. */
  public static List<ReplicationMessage> decodeGroup(Buffer b) throws WireFormatException {
    Frames.Reader r = Frames.read(b, 0, GROUP);
    int count = r.readInt();
    if (count < 0) throw r.garbled("negative message count " + count);
    List<ReplicationMessage> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      int kind = r.readByte();
      if (kind < 0 || kind >= Kind.values().length) throw r.garbled("unknown message kind " + kind);
      int partition = r.readUnsignedShort();
      long epoch = r.readLong();
      long seq = r.readLong();
      String sender = r.readShortString();
      out.add(new ReplicationMessage(Kind.values()[kind], partition, epoch, sender, seq, r.readBlockBytes()));
    }
    r.end();
    return out;
  }

  /** The ack of a group: one verdict per message, in the group's order. */
  public static Buffer encodeVerdicts(List<Verdict> verdicts) {
    Buffer b = Buffer.buffer(10 + verdicts.size());
    int at = Frames.start(b);
    b.appendInt(verdicts.size());
    for (Verdict v : verdicts) b.appendByte((byte) v.ordinal());
    return Frames.finish(b, at);
  }

  public static List<Verdict> decodeVerdicts(Buffer b) throws WireFormatException {
    Frames.Reader r = Frames.read(b, 0, ACK);
    int count = r.readInt();
    if (count < 0) throw r.garbled("negative verdict count " + count);
    List<Verdict> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      int v = r.readByte();
      if (v < 0 || v >= Verdict.values().length) throw r.garbled("unknown verdict " + v);
      out.add(Verdict.values()[v]);
    }
    r.end();
    return out;
  }
}
