package io.eventplane.gateway.query;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small, namespace-on-the-root XML documents of the AWS Query protocol. Element names
 * come from our own model and are trusted; text is escaped.
 */
public final class XmlWriter {
  private final StringBuilder out = new StringBuilder(256);
  private final Deque<String> open = new ArrayDeque<>();

  private XmlWriter() {}

  /** A document with the XML declaration AWS puts on every Query response. */
  public static XmlWriter document() {
    XmlWriter w = new XmlWriter();
    w.out.append("<?xml version=\"1.0\"?>");
    return w;
  }

  public XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public XmlWriter start(String name, String xmlNamespace) {
    out.append('<').append(name).append(" xmlns=\"");
    escape(xmlNamespace, out);
    out.append("\">");
    open.push(name);
    return this;
  }

  /** An element with attributes, given as name, value, name, value... (S3's ACL grantees carry xsi:type). */
  public XmlWriter startWithAttributes(String name, String... attributes) {
    out.append('<').append(name);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"");
      escape(attributes[i + 1], out);
      out.append('"');
    }
    out.append('>');
    open.push(name);
    return this;
  }

  public XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /**
   * Closes the element opened last, as {@code <name/>} when nothing was written inside it (AWS's
   * Query answers write an empty result element so: {@code <ReceiveMessageResult/>}).
   */
  public XmlWriter endCollapsingEmpty() {
    String name = open.peek();
    if (name != null && out.length() > name.length() + 2 && out.charAt(out.length() - 1) == '>'
        && out.lastIndexOf("<" + name + ">") == out.length() - name.length() - 2) {
      open.pop();
      out.setLength(out.length() - 1);
      out.append("/>");
      return this;
    }
    return end();
  }

  public XmlWriter element(String name, String text) {
    out.append('<').append(name).append('>');
    escape(text == null ? "" : text, out);
    out.append("</").append(name).append('>');
    return this;
  }

  /** Text inside the element opened last. */
  public XmlWriter text(String text) {
    escape(text, out);
    return this;
  }

  public XmlWriter empty(String name) {
    out.append('<').append(name).append("/>");
    return this;
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) throw new IllegalStateException("unclosed elements: " + open);
    return out.toString();
  }

  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    escape(text, sb);
    return sb.toString();
  }

  /**
   * Escapes markup characters, and writes CR as a character reference because XML parsers turn a
   * literal CR (or CRLF) into LF, which would change message bodies and their MD5. Characters XML
   * 1.0 cannot carry at all (most C0 controls, lone surrogates) become U+FFFD rather than making
   * the whole response unparsable; SQS refuses such bodies on the way in anyway.
   */
  public static void escape(String text, StringBuilder sb) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\r' -> sb.append("&#xD;");
        case '\n', '\t' -> sb.append(c);
        default -> {
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            sb.append('\uFFFD');
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
            sb.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
  }
}
