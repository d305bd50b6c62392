package io.eventplane.identity.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled IAM match pattern: literal text, {@code *} (any run of characters), {@code ?} (one
 * character) and policy variables ({@code ${aws:username}}, {@code ${aws:x, 'default'}}; {@code ${*}},
 * {@code ${?}} and {@code ${$}} stand for the literal characters). Compiled once when a policy is parsed;
 * matching walks the tokens with the classic last-star backtracking, no regex and no allocation.
 * A variable whose key is absent from the request (and has no default) makes the pattern match nothing,
 * as IAM documents it.
 */
final class Wildcard {
  private static final int LITERAL = 0;
  private static final int STAR = 1;
  private static final int ONE = 2;
  private static final int VARIABLE = 3;

  private final int[] kinds;
  private final String[] texts; // the literal, or the variable's (lower-case) key
  private final String[] defaults;
  private final boolean ignoreCase;
  private final boolean literalOnly;

  private Wildcard(int[] kinds, String[] texts, String[] defaults, boolean ignoreCase) {
    this.kinds = kinds;
    this.texts = texts;
    this.defaults = defaults;
    this.ignoreCase = ignoreCase;
    boolean literal = true;
    for (int k : kinds) if (k != LITERAL) literal = false;
    this.literalOnly = literal;
  }

  /**
   * @param wildcards whether {@code *} and {@code ?} are wildcards (StringEquals takes them literally)
   * @param variables whether {@code ${...}} is a policy variable (Version 2012-10-17) or literal text
   */
  static Wildcard compile(String pattern, boolean wildcards, boolean variables, boolean ignoreCase) {
    List<Integer> kinds = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<String> defaults = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (variables && c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
        int end = pattern.indexOf('}', i + 2);
        if (end > 0) {
          String body = pattern.substring(i + 2, end).trim();
          if (body.equals("*") || body.equals("?") || body.equals("$")) {
            literal.append(body);
          } else {
            flush(literal, kinds, texts, defaults);
            String key = body;
            String fallback = null;
            int comma = body.indexOf(',');
            if (comma >= 0) {
              key = body.substring(0, comma).trim();
              String d = body.substring(comma + 1).trim();
              if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
                fallback = d.substring(1, d.length() - 1).replace("''", "'");
              } else {
                fallback = d;
              }
            }
            kinds.add(VARIABLE);
            texts.add(ConditionKeys.normalize(key));
            defaults.add(fallback);
          }
          i = end + 1;
          continue;
        }
      }
      if (wildcards && (c == '*' || c == '?')) {
        flush(literal, kinds, texts, defaults);
        if (c == '*' && !kinds.isEmpty() && kinds.get(kinds.size() - 1) == STAR) {
          i++;
          continue;
        }
        kinds.add(c == '*' ? STAR : ONE);
        texts.add(null);
        defaults.add(null);
      } else {
        literal.append(c);
      }
      i++;
    }
    flush(literal, kinds, texts, defaults);
    int[] k = new int[kinds.size()];
    for (int j = 0; j < k.length; j++) k[j] = kinds.get(j);
    return new Wildcard(k, texts.toArray(String[]::new), defaults.toArray(String[]::new), ignoreCase);
  }

  private static void flush(StringBuilder literal, List<Integer> kinds, List<String> texts, List<String> defaults) {
    if (literal.length() == 0) return;
    kinds.add(LITERAL);
    texts.add(literal.toString());
    defaults.add(null);
    literal.setLength(0);
  }

  /** True when the pattern is {@code *} alone. */
  /** Whether the pattern reads a policy variable (its match then depends on the request's context). */
  boolean hasVariable() {
    for (int k : kinds) if (k == VARIABLE) return true;
    return false;
  }

  boolean matchesEverything() {
    return kinds.length == 1 && kinds[0] == STAR;
  }

  boolean matches(String s, RequestContext context) {
    return matches(s, 0, s.length(), context);
  }

  /** Matches {@code s[from, to)} in full. */
  boolean matches(String s, int from, int to, RequestContext context) {
    if (literalOnly) {
      if (kinds.length == 0) return from == to;
      String t = texts[0];
      return to - from == t.length() && s.regionMatches(ignoreCase, from, t, 0, t.length());
    }
    int ti = 0;
    int si = from;
    int starToken = -1;
    int starPos = -1;
    while (true) {
      if (ti < kinds.length) {
        int kind = kinds[ti];
        if (kind == STAR) {
          starToken = ti++;
          starPos = si;
          continue;
        }
        if (kind == ONE) {
          if (si < to) {
            ti++;
            si++;
            continue;
          }
        } else {
          String text = kind == LITERAL ? texts[ti] : resolve(ti, context);
          if (text == null) return false;
          if (to - si >= text.length() && s.regionMatches(ignoreCase, si, text, 0, text.length())) {
            ti++;
            si += text.length();
            continue;
          }
        }
      } else if (si == to) {
        return true;
      }
      if (starToken < 0 || starPos >= to) return false;
      ti = starToken + 1;
      si = ++starPos;
    }
  }

  private String resolve(int token, RequestContext context) {
    String value = context == null ? null : context.single(texts[token]);
    return value != null ? value : defaults[token];
  }
}
