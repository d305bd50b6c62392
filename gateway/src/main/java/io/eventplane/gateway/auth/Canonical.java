package io.eventplane.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical forms Signature Version 4 signs (IAM User Guide, "Create a signed AWS API request",
 * step 1): the URI, the query string and the headers, built from the request as it was sent. Every
 * percent-escape is decoded and re-encoded with SigV4's rule (only {@code A-Z a-z 0-9 - _ . ~} stay
 * as they are, the rest is {@code %XX} in upper case), so a client that escaped more or less than
 * the SDKs still gets the canonical form it signed. No regex, one pass per part.
 */
final class Canonical {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Canonical() {}

  /**
   * The canonical URI. S3 signs the path as sent, encoded once; every other service signs it with
   * its {@code .} and {@code ..} segments resolved and then encoded twice (the encoded path is
   * encoded again, so {@code %3A} becomes {@code %253A}).
   */
  static String uri(String rawPath, boolean s3) {
    if (rawPath.isEmpty()) return "/";
    String once = encode(rawPath, true, false);
    if (s3) return once;
    String normalized = removeDotSegments(once);
    StringBuilder twice = new StringBuilder(normalized.length() + 16);
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      if (c == '%') twice.append("%25");
      else twice.append(c);
    }
    return twice.toString();
  }

  /**
   * The canonical query string: every parameter's name and value encoded, sorted by name then value,
   * {@code name=value} joined by {@code &}; a presigned URL's own {@code X-Amz-Signature} left out.
   */
  static String query(String rawQuery, boolean presigned) {
    if (rawQuery.isEmpty()) return "";
    List<String[]> pairs = new ArrayList<>();
    int start = 0;
    int n = rawQuery.length();
    while (start <= n) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        String name;
        String value;
        if (eq < 0 || eq > end) {
          name = encode(rawQuery.substring(start, end), false, true);
          value = "";
        } else {
          name = encode(rawQuery.substring(start, eq), false, true);
          value = encode(rawQuery.substring(eq + 1, end), false, true);
        }
        if (!(presigned && name.equals("X-Amz-Signature"))) pairs.add(new String[] {name, value});
      }
      start = end + 1;
    }
    pairs.sort((a, b) -> {
      int byName = a[0].compareTo(b[0]);
      return byName != 0 ? byName : a[1].compareTo(b[1]);
    });
    StringBuilder out = new StringBuilder(rawQuery.length() + 16);
    for (String[] pair : pairs) {
      if (out.length() > 0) out.append('&');
      out.append(pair[0]).append('=').append(pair[1]);
    }
    return out.toString();
  }

  /**
   * The canonical headers block ({@code name:value\n} for each signed header, in the order given):
   * values trimmed, runs of spaces collapsed, repeated headers' values joined by commas.
   */
  static String headers(List<String> signedHeaders, SignedRequest.Headers headers) {
    StringBuilder out = new StringBuilder(256);
    for (String name : signedHeaders) {
      out.append(name).append(':');
      List<String> values = headers.all(name);
      for (int v = 0; v < values.size(); v++) {
        if (v > 0) out.append(',');
        appendTrimmed(out, values.get(v));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static void appendTrimmed(StringBuilder out, String value) {
    int from = 0;
    int to = value.length();
    while (from < to && isSpace(value.charAt(from))) from++;
    while (to > from && isSpace(value.charAt(to - 1))) to--;
    boolean space = false;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (isSpace(c)) {
        space = true;
      } else {
        if (space) out.append(' ');
        space = false;
        out.append(c);
      }
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /**
   * Re-encodes {@code raw} with SigV4's rule: escapes are decoded and each byte encoded again,
   * unreserved characters kept, {@code /} kept in paths, {@code +} read as a space in queries.
   */
  static String encode(String raw, boolean path, boolean plusIsSpace) {
    StringBuilder out = new StringBuilder(raw.length() + 8);
    int n = raw.length();
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < n && hexValue(raw.charAt(i + 1)) >= 0 && hexValue(raw.charAt(i + 2)) >= 0) {
        appendByte(out, (hexValue(raw.charAt(i + 1)) << 4) | hexValue(raw.charAt(i + 2)));
        i += 2;
      } else if (c == '/' && path) {
        out.append('/');
      } else if (c == '+' && plusIsSpace) {
        out.append("%20");
      } else if (c < 0x80) {
        appendByte(out, c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < n ? i + 2 : i + 1;
        for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) appendByte(out, b & 0xFF);
        i = end - 1;
      }
    }
    return out.toString();
  }

  private static void appendByte(StringBuilder out, int b) {
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.'
        || b == '~') {
      out.append((char) b);
    } else {
      out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }

  /**
   * The path normalization the SDKs apply before signing for services other than S3: RFC 3986's
   * {@code .} and {@code ..} segments resolved and empty segments ({@code //}) dropped, a trailing
   * slash kept.
   */
  static String removeDotSegments(String path) {
    if (path.indexOf('.') < 0 && !path.contains("//")) return path;
    String[] segments = path.split("/", -1);
    List<String> kept = new ArrayList<>(segments.length);
    boolean trailingSlash = false;
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".") || s.isEmpty()) {
        trailingSlash = last && i > 0;
      } else if (s.equals("..")) {
        if (!kept.isEmpty()) kept.remove(kept.size() - 1);
        trailingSlash = last;
      } else {
        kept.add(s);
        trailingSlash = false;
      }
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String s : kept) out.append('/').append(s);
    if (trailingSlash || out.length() == 0) out.append('/');
    return out.toString();
  }
}
