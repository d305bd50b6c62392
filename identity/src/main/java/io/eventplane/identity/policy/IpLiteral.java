package io.eventplane.identity.policy;

/** IPv4 and IPv6 address literals to bytes, by hand: never a DNS lookup. */
final class IpLiteral {
  private IpLiteral() {}

  /** The address's 4 or 16 bytes, or null when the text is no address literal. */
  static byte[] parse(String s) {
    if (s.indexOf(':') >= 0) return parse6(s);
    return parse4(s, 0, s.length());
  }

  private static byte[] parse4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) return null;
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) return null;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] parse6(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) s = s.substring(0, zone);
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
    int[] head = new int[8];
    int[] tail = new int[8];
    int headCount;
    int tailCount = 0;
    if (gap < 0) {
      headCount = groups(s, 0, s.length(), head);
      if (headCount != 8) return null;
    } else {
      headCount = gap == 0 ? 0 : groups(s, 0, gap, head);
      tailCount = gap + 2 == s.length() ? 0 : groups(s, gap + 2, s.length(), tail);
      if (headCount < 0 || tailCount < 0 || headCount + tailCount > 7) return null;
    }
    if (headCount < 0) return null;
    byte[] out = new byte[16];
    for (int i = 0; i < headCount; i++) {
      out[2 * i] = (byte) (head[i] >> 8);
      out[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tailCount; i++) {
      int g = 8 - tailCount + i;
      out[2 * g] = (byte) (tail[i] >> 8);
      out[2 * g + 1] = (byte) tail[i];
    }
    return out;
  }

  /** Parses colon-separated hex groups (the last may be a dotted IPv4 address); their count, or -1. */
  private static int groups(String s, int from, int to, int[] into) {
    int count = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i < to && s.charAt(i) != ':') continue;
      if (i == start) return -1;
      if (i == to && s.substring(start, to).indexOf('.') >= 0) {
        byte[] v4 = parse4(s, start, to);
        if (v4 == null || count > 6) return -1;
        into[count++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
        into[count++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        return count;
      }
      if (i - start > 4 || count >= 8) return -1;
      int value = 0;
      for (int j = start; j < i; j++) {
        int d = Character.digit(s.charAt(j), 16);
        if (d < 0) return -1;
        value = value * 16 + d;
      }
      into[count++] = value;
      start = i + 1;
    }
    return count;
  }
}
