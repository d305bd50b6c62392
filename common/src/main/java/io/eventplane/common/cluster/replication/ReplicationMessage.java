package io.eventplane.common.cluster.replication;

import io.eventplane.common.cluster.placement.PlacementPlanner.Position;
import io.eventplane.common.wire.Frames;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an owner sends a replica: a committed batch; a probe asking how far the replica's copy goes;
 * a batch replayed from the owner's {@link ReplicationLog} (catch-up); the end of a catch-up; or one
 * step of a snapshot copy (begin, chunk, end). Each carries the partition, the sender's epoch and the
 * sender, which the replica checks against its placement table before it applies anything.
 *
 * <p>On the wire messages travel in groups: one event-bus {@link Buffer} holds every message ready
 * for the same replica node at the same time (see {@link ReplicationOutbox}), in the order they
 * were sent, and the replica answers the group with one {@link #encodeVerdicts ack frame} holding
 * one {@link Verdict} per message, in the same order. Both are versioned {@link Frames}.
 *
 * <p>Kinds 4 to 6 (probe, logged batch, caught up) and the positions after an ack's verdicts are
 * newer than the rest of this format: a node of an earlier build refuses a group holding them as
 * garbled ("unknown message kind"), and an owner of an earlier build never asks for a position, so
 * neither side misreads the other.
 *
 * @param seq the batch's sequence number (BATCH, LOGGED_BATCH), the snapshot's position (SYNC_BEGIN,
 *     SYNC_END), the owner's sequence when it asked (PROBE), or the last batch of a catch-up (CAUGHT_UP)
 * @param log a batch log ({@link io.eventplane.common.store.Batch#log()}) for BATCH and SYNC_CHUNK;
 *     the batch's own epoch then its log for LOGGED_BATCH ({@link #logged}); the epoch of the
 *     snapshot's last batch for SYNC_END (empty from earlier builds); empty otherwise
 */
public record ReplicationMessage(Kind kind, int partition, long epoch, String sender, long seq, byte[] log) {
  public enum Kind { BATCH, SYNC_BEGIN, SYNC_CHUNK, SYNC_END, PROBE, LOGGED_BATCH, CAUGHT_UP }

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

  /** A replica's answers to a group: a verdict per message, and for a probe its stored position (else null). */
  public record Acks(List<Verdict> verdicts, List<Position> positions) {}

  private static final String GROUP = "replication group";
  private static final String ACK = "replication ack";

  /** A batch replayed from the log: its own epoch travels with it, the message's epoch is the sender's. */
  static ReplicationMessage logged(int partition, long senderEpoch, String sender, ReplicationLog.Entry entry) {
    byte[] payload = ByteBuffer.allocate(8 + entry.log().length).putLong(entry.epoch()).put(entry.log()).array();
    return new ReplicationMessage(Kind.LOGGED_BATCH, partition, senderEpoch, sender, entry.seq(), payload);
  }

  /** The epoch a LOGGED_BATCH or SYNC_END carries in its payload (SYNC_END of an earlier build: the sender's). */
  long payloadEpoch() {
    return log.length >= 8 ? ByteBuffer.wrap(log).getLong() : epoch;
  }

  /** The batch log of a LOGGED_BATCH. */
  byte[] loggedBatch() {
    return Arrays.copyOfRange(log, 8, log.length);
  }

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
    return encodeAcks(new Acks(verdicts, java.util.Collections.nCopies(verdicts.size(), null)));
  }

  /**
   * The ack of a group; when any message has a position (the answer to a probe), the verdicts are
   * followed by how many do, then (index, epoch, seq) for each.
   */
  public static Buffer encodeAcks(Acks acks) {
    List<Verdict> verdicts = acks.verdicts();
    Buffer b = Buffer.buffer(14 + verdicts.size());
    int at = Frames.start(b);
    b.appendInt(verdicts.size());
    for (Verdict v : verdicts) b.appendByte((byte) v.ordinal());
    int withPosition = 0;
    for (Position p : acks.positions()) if (p != null) withPosition++;
    if (withPosition > 0) {
      b.appendInt(withPosition);
      for (int i = 0; i < verdicts.size(); i++) {
        Position p = acks.positions().get(i);
        if (p != null) b.appendInt(i).appendLong(p.epoch()).appendLong(p.seq());
      }
    }
    return Frames.finish(b, at);
  }

  public static List<Verdict> decodeVerdicts(Buffer b) throws WireFormatException {
    return decodeAcks(b).verdicts();
  }

  public static Acks decodeAcks(Buffer b) throws WireFormatException {
    Frames.Reader r = Frames.read(b, 0, ACK);
    int count = r.readInt();
    if (count < 0) throw r.garbled("negative verdict count " + count);
    List<Verdict> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      int v = r.readByte();
      if (v < 0 || v >= Verdict.values().length) throw r.garbled("unknown verdict " + v);
      out.add(Verdict.values()[v]);
    }
    List<Position> positions = new ArrayList<>(java.util.Collections.nCopies(out.size(), null));
    if (r.hasMore()) {
      int n = r.readInt();
      if (n < 0 || n > count) throw r.garbled("bad position count " + n);
      for (int i = 0; i < n; i++) {
        int index = r.readInt();
        if (index < 0 || index >= count) throw r.garbled("position for message " + index + " of " + count);
        positions.set(index, new Position(r.readLong(), r.readLong()));
      }
    }
    r.end();
    return new Acks(out, positions);
  }
}
