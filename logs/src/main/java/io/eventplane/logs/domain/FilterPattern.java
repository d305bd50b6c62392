package io.eventplane.logs.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A filter pattern of FilterLogEvents in its term form, as CloudWatch Logs matches it: every plain
 * term must occur in the message, none of the {@code -term}s may, and when there are
 * {@code ?term}s at least one of them must. Terms are case sensitive; double quotes make a phrase
 * with spaces or punctuation one term. An empty pattern matches every event.
 *
 * <p>JSON ({@code { $.x = ... }}), space-delimited ({@code [a, b]}) and regular-expression
 * ({@code %...%}) patterns are refused with InvalidParameterException rather than matched
 * wrongly.
 */
public final class FilterPattern {
  private final List<String> required = new ArrayList<>();
  private final List<String> optional = new ArrayList<>();
  private final List<String> excluded = new ArrayList<>();

  private FilterPattern() {}

  public static FilterPattern parse(String pattern) {
    FilterPattern p = new FilterPattern();
    String s = pattern == null ? "" : pattern.strip();
    if (s.startsWith("{") || s.startsWith("[") || s.startsWith("%")) {
      throw LogsErrors.invalidParameter("Invalid filter pattern: Eventplane matches terms, quoted phrases, ?terms and "
          + "-terms; JSON, space-delimited and regular-expression patterns are not supported.");
    }
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      List<String> into = p.required;
      if ((c == '?' || c == '-') && i + 1 < s.length() && !Character.isWhitespace(s.charAt(i + 1))) {
        into = c == '?' ? p.optional : p.excluded;
        i++;
      }
      StringBuilder term = new StringBuilder();
      if (s.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char t = s.charAt(i++);
          if (t == '\\' && i < s.length()) {
            term.append(s.charAt(i++));
          } else if (t == '"') {
            closed = true;
            break;
          } else {
            term.append(t);
          }
        }
        if (!closed) throw LogsErrors.invalidParameter("Invalid filter pattern: a quoted term is not closed.");
      } else {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) term.append(s.charAt(i++));
      }
      if (term.length() > 0) into.add(term.toString());
    }
    return p;
  }

  public boolean matches(String message) {
    for (String t : required) if (!message.contains(t)) return false;
    for (String t : excluded) if (message.contains(t)) return false;
    if (optional.isEmpty()) return true;
    for (String t : optional) if (message.contains(t)) return true;
    return false;
  }
}
