package io.eventplane.kinesis.domain;

/**
 * Sequence numbers as 56 decimal digits, like AWS's: {@code 49}, the stream's incarnation id (17
 * digits), the shard's index (6 digits), the record's position in the shard (19 digits) and 12
 * zeros. Within a shard they grow strictly with the position (same length, same prefix); they are
 * unique in the stream and across incarnations of a name, and give the shard and position back.
 */
public final class SequenceNumbers {
  private static final String HEAD = "49";
  private static final String TAIL = "000000000000";
  public static final int LENGTH = 56;
  /** Incarnation ids are below 10^17 so that they fit their 17 digits. */
  public static final long MAX_STREAM_ID = 99_999_999_999_999_999L;

  private SequenceNumbers() {}

  public static String of(long streamId, int shard, long position) {
    return HEAD + String.format("%017d%06d%019d", streamId, shard, position) + TAIL;
  }

  /** Where a sequence number points, or null when it is not one of ours. */
  public static Position parse(String seq) {
    if (seq == null || seq.length() != LENGTH || !seq.startsWith(HEAD) || !seq.endsWith(TAIL)) return null;
    for (int i = 0; i < LENGTH; i++) if (!Character.isDigit(seq.charAt(i))) return null;
    try {
      return new Position(Long.parseLong(seq.substring(2, 19)), Integer.parseInt(seq.substring(19, 25)),
          Long.parseLong(seq.substring(25, 44)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A record's place: stream incarnation, shard index, position in the shard. */
  public record Position(long streamId, int shard, long position) {}
}
