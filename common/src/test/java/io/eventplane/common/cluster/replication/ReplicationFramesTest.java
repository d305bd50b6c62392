package io.eventplane.common.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.cluster.replication.ReplicationMessage.Kind;
import io.eventplane.common.cluster.replication.ReplicationMessage.Verdict;
import io.eventplane.common.wire.Frames;
import io.eventplane.common.wire.WireFormatException;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationFramesTest {
  private static final List<ReplicationMessage> EVERY_KIND = List.of(
      new ReplicationMessage(Kind.BATCH, 63, 7, "n2", 41, new byte[] {1, 2, 3}),
      new ReplicationMessage(Kind.SYNC_BEGIN, 0, 1, "nödé", 40, new byte[0]),
      new ReplicationMessage(Kind.SYNC_CHUNK, 5, Long.MAX_VALUE, "n0", 40, new byte[70_000]),
      new ReplicationMessage(Kind.SYNC_END, 65_535, 2, "n1", 40, new byte[0]));

  @Test
  void aGroupOfEveryKindRoundTripsInOrder() {
    List<ReplicationMessage> back = ReplicationMessage.decodeGroup(ReplicationMessage.encodeGroup(EVERY_KIND));
    assertThat(back).hasSize(EVERY_KIND.size());
    for (int i = 0; i < back.size(); i++) {
      ReplicationMessage a = EVERY_KIND.get(i);
      ReplicationMessage b = back.get(i);
      assertThat(b.kind()).isEqualTo(a.kind());
      assertThat(b.partition()).isEqualTo(a.partition());
      assertThat(b.epoch()).isEqualTo(a.epoch());
      assertThat(b.sender()).isEqualTo(a.sender());
      assertThat(b.seq()).isEqualTo(a.seq());
      assertThat(b.log()).isEqualTo(a.log());
    }
  }

  @Test
  void verdictsRoundTripInOrder() {
    List<Verdict> all = List.of(Verdict.OK, Verdict.NEED_SYNC, Verdict.FENCED, Verdict.RETRY, Verdict.OK);
    assertThat(ReplicationMessage.decodeVerdicts(ReplicationMessage.encodeVerdicts(all))).isEqualTo(all);
  }

  @Test
  void anUnknownVersionIsRefused() {
    Buffer group = ReplicationMessage.encodeGroup(EVERY_KIND);
    group.setByte(0, (byte) 6);
    assertThatThrownBy(() -> ReplicationMessage.decodeGroup(group)).isInstanceOf(WireFormatException.class)
        .hasMessage("replication group: wire format version 6 is not supported (this node speaks " + Frames.VERSION
            + "); is a node of another build in the cluster?");
    Buffer ack = ReplicationMessage.encodeVerdicts(List.of(Verdict.OK));
    ack.setByte(0, (byte) 0);
    assertThatThrownBy(() -> ReplicationMessage.decodeVerdicts(ack)).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("version 0 is not supported");
  }

  /** The unversioned message of earlier builds: kind (0 to 3, the kinds they had), partition, epoch, seq, sender, log. */
  @Test
  void theUnversionedMessageOfEarlierBuildsIsRefused() {
    for (Kind kind : List.of(Kind.BATCH, Kind.SYNC_BEGIN, Kind.SYNC_CHUNK, Kind.SYNC_END)) {
      Buffer old = Buffer.buffer().appendByte((byte) kind.ordinal()).appendShort((short) 3).appendLong(1).appendLong(9)
          .appendByte((byte) 2).appendString("n0").appendBytes(new byte[] {1, 2});
      assertThatThrownBy(() -> ReplicationMessage.decodeGroup(old)).isInstanceOf(WireFormatException.class)
          .hasMessageContaining("version " + kind.ordinal() + " is not supported");
    }
  }

  @Test
  void everyTruncationIsRefused() {
    Buffer whole = ReplicationMessage.encodeGroup(EVERY_KIND.subList(0, 2));
    for (int cut = 0; cut < whole.length(); cut++) {
      Buffer part = whole.getBuffer(0, cut);
      assertThatThrownBy(() -> ReplicationMessage.decodeGroup(part)).isInstanceOf(WireFormatException.class);
    }
    Buffer ack = ReplicationMessage.encodeVerdicts(List.of(Verdict.OK, Verdict.FENCED));
    for (int cut = 0; cut < ack.length(); cut++) {
      Buffer part = ack.getBuffer(0, cut);
      assertThatThrownBy(() -> ReplicationMessage.decodeVerdicts(part)).isInstanceOf(WireFormatException.class);
    }
  }

  @Test
  void garbledFramesAreRefused() {
    Buffer kind = ReplicationMessage.encodeGroup(EVERY_KIND.subList(0, 1));
    kind.setByte(9, (byte) 9); // the first message's kind
    assertThatThrownBy(() -> ReplicationMessage.decodeGroup(kind)).hasMessageContaining("unknown message kind 9");

    Buffer count = ReplicationMessage.encodeGroup(EVERY_KIND.subList(0, 1));
    count.setInt(5, 2); // claims two messages, holds one
    assertThatThrownBy(() -> ReplicationMessage.decodeGroup(count)).isInstanceOf(WireFormatException.class);

    Buffer extra = ReplicationMessage.encodeGroup(EVERY_KIND.subList(0, 2));
    extra.setInt(5, 1); // claims one message, holds two
    assertThatThrownBy(() -> ReplicationMessage.decodeGroup(extra)).hasMessageContaining("unexpected bytes");

    Buffer verdict = ReplicationMessage.encodeVerdicts(List.of(Verdict.OK));
    verdict.setByte(9, (byte) 4);
    assertThatThrownBy(() -> ReplicationMessage.decodeVerdicts(verdict)).hasMessageContaining("unknown verdict 4");
  }

  @Test
  void theCatchUpKindsRoundTripWithTheirPayloads() {
    ReplicationLog.Entry entry = new ReplicationLog.Entry(12, 3, new byte[] {9, 8, 7});
    List<ReplicationMessage> group = List.of(
        new ReplicationMessage(Kind.PROBE, 4, 5, "n0", 11, new byte[0]),
        ReplicationMessage.logged(4, 5, "n0", entry),
        new ReplicationMessage(Kind.CAUGHT_UP, 4, 5, "n0", 12, new byte[0]));
    List<ReplicationMessage> back = ReplicationMessage.decodeGroup(ReplicationMessage.encodeGroup(group));
    assertThat(back).extracting(ReplicationMessage::kind).containsExactly(Kind.PROBE, Kind.LOGGED_BATCH, Kind.CAUGHT_UP);
    ReplicationMessage logged = back.get(1);
    assertThat(logged.epoch()).isEqualTo(5); // the sender's, checked for fencing
    assertThat(logged.payloadEpoch()).isEqualTo(3); // the batch's own, recorded with it
    assertThat(logged.seq()).isEqualTo(12);
    assertThat(logged.loggedBatch()).containsExactly(9, 8, 7);
  }

  @Test
  void anAckCarriesTheProbedPositionsAfterItsVerdicts() {
    ReplicationMessage.Acks acks = new ReplicationMessage.Acks(List.of(Verdict.OK, Verdict.OK, Verdict.NEED_SYNC),
        java.util.Arrays.asList(null, new io.eventplane.common.cluster.placement.PlacementPlanner.Position(4, 77), null));
    Buffer frame = ReplicationMessage.encodeAcks(acks);
    assertThat(ReplicationMessage.decodeAcks(frame)).isEqualTo(acks);
    assertThat(ReplicationMessage.decodeVerdicts(frame)).isEqualTo(acks.verdicts());
    // without positions the frame is exactly the one earlier builds read
    assertThat(ReplicationMessage.encodeVerdicts(List.of(Verdict.OK, Verdict.FENCED)))
        .isEqualTo(Buffer.buffer().appendByte(Frames.VERSION).appendInt(6).appendInt(2).appendByte((byte) 0).appendByte((byte) 1));
    for (int cut = 0; cut < frame.length(); cut++) {
      Buffer part = frame.getBuffer(0, cut);
      assertThatThrownBy(() -> ReplicationMessage.decodeAcks(part)).isInstanceOf(WireFormatException.class);
    }
    Buffer badIndex = frame.copy();
    badIndex.setInt(5 + 4 + 3 + 4, 3); // the position's message index, past the group's three
    assertThatThrownBy(() -> ReplicationMessage.decodeAcks(badIndex)).hasMessageContaining("position for message 3 of 3");
  }
}
