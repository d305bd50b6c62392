package io.eventplane.gateway.console;

/**
 * HTML escaping for the console's server-rendered pages. Every string that did not come from the
 * console's own code (resource names, message bodies, attribute values, error messages, query
 * parameters) goes through {@link #text} before it meets markup; attribute values are quoted with
 * double quotes, and {@link #text} escapes those too.
 */
final class Html {
  private Html() {}

  /** The string with {@code & < > " '} escaped: safe as element text and as a quoted attribute value. */
  static String text(Object value) {
    if (value == null) return "";
    String s = value.toString();
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep == null) {
        if (out != null) out.append(c);
      } else {
        if (out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
        out.append(rep);
      }
    }
    return out == null ? s : out.toString();
  }

  /** A query-string or path component, percent-encoded (then safe in an attribute as is). */
  static String url(String value) {
    return java.net.URLEncoder.encode(value == null ? "" : value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
