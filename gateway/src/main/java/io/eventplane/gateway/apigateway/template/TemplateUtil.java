package io.eventplane.gateway.apigateway.template;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code $util} of a mapping template: API Gateway's six helper functions. Text is UTF-8 throughout,
 * as API Gateway's reference says. A null argument gives null, which renders as nothing.
 *
 * <p>Public because Velocity only calls public methods of public classes; its constructor is not.
 */
public final class TemplateUtil {
  static final TemplateUtil INSTANCE = new TemplateUtil();

  private TemplateUtil() {
  }

  /**
   * Escapes with JavaScript string rules, as Apache Commons Lang's {@code escapeJavaScript} (which API
   * Gateway's note about {@code \'} describes): {@code " ' \ /} get a backslash, control characters their
   * short escapes or {@code \}{@code u00XX}, and every character past ASCII a {@code \}{@code uXXXX}.
   */
  public String escapeJavaScript(Object value) {
    if (value == null) return null;
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\'', '\\', '/' -> out.append('\\').append(c);
        case '\b' -> out.append("\\b");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c > 0x7f) out.append(String.format("\\u%04X", (int) c));
          else out.append(c);
        }
      }
    }
    return out.toString();
  }

  /** Reads "stringified" JSON into maps, lists, strings and numbers the template can navigate. */
  public Object parseJson(Object json) {
    if (json == null) return null;
    return JsonPayload.parse(json.toString());
  }

  /** {@code application/x-www-form-urlencoded} encoding (a space becomes {@code +}). */
  public String urlEncode(Object value) {
    if (value == null) return null;
    return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
  }

  /** Decodes {@code application/x-www-form-urlencoded} text. */
  public String urlDecode(Object value) {
    if (value == null) return null;
    try {
      return URLDecoder.decode(value.toString(), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TemplateException("$util.urlDecode: " + e.getMessage(), e);
    }
  }

  /** Base64 of the text's UTF-8 bytes. */
  public String base64Encode(Object value) {
    if (value == null) return null;
    return Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The text whose UTF-8 bytes the base64 holds; characters outside the alphabet (line breaks) are skipped. */
  public String base64Decode(Object value) {
    if (value == null) return null;
    try {
      return new String(Base64.getMimeDecoder().decode(value.toString()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TemplateException("$util.base64Decode: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "$util";
  }
}
