package io.eventplane.common.text;

/** UTF-8 length without encoding. */
public final class Utf8 {
  private Utf8() {}

  public static int length(String s) {
    if (s == null) return 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
}
