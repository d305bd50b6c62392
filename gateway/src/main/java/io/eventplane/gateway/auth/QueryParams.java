package io.eventplane.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A query string's {@code X-Amz-*} parameters, decoded; the rest is skipped. Requests that carry
 * no presigned signature (most of them) cost one {@code indexOf}.
 */
final class QueryParams {
  private static final QueryParams NONE = new QueryParams(Map.of());
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  String get(String name) {
    return values.get(name);
  }

  static QueryParams of(String rawQuery) {
    if (rawQuery.indexOf("X-Amz-") < 0 && rawQuery.indexOf("x-amz-") < 0 && rawQuery.indexOf('%') < 0) return NONE;
    Map<String, String> values = new HashMap<>(8);
    int start = 0;
    int n = rawQuery.length();
    while (start < n) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      int eq = rawQuery.indexOf('=', start);
      if (eq < 0 || eq > end) eq = end;
      String name = decode(rawQuery, start, eq);
      if (name.startsWith("X-Amz-")) values.putIfAbsent(name, eq < end ? decode(rawQuery, eq + 1, end) : "");
      start = end + 1;
    }
    return values.isEmpty() ? NONE : new QueryParams(values);
  }

  private static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) return s.substring(from, to);
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < to && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
