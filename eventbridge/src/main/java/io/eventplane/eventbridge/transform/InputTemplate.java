package io.eventplane.eventbridge.transform;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code InputTemplate} cut once into literal text and placeholders, each placeholder knowing
 * where it stands: inside a JSON string literal (between unescaped double quotes) or outside one.
 * That position, not the value, decides the quoting:
 *
 * <ul>
 *   <li>inside a string, a value goes in as string content: a string without its quotes, other
 *       values as their JSON text, escaped ({@code "}, {@code \}, control characters) so the string
 *       stays one string; a path that selected nothing leaves nothing;
 *   <li>outside a string in a JSON template (one that starts with <code>{</code>), a value goes in
 *       as a JSON value: strings quoted, objects and arrays as JSON; nothing selected gives
 *       {@code ""};
 *   <li>outside a string in a text template, a value goes in as text: a string as it is, other values
 *       as their JSON text; nothing selected gives nothing.
 * </ul>
 *
 * <p>{@code <aws.events.event>} and {@code <aws.events.event.json>} are never escaped (the user
 * guide: "only as the value for a JSON field, as its contents are not escaped"). A JSON template's
 * result is minified when it parses as JSON, as the guide says targets receive it; otherwise it is
 * delivered as produced.
 */
final class InputTemplate {
  static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");

  /** Reserved variables that are delivered unescaped, as JSON. */
  static final String EVENT = "aws.events.event";
  static final String EVENT_JSON = "aws.events.event.json";

  private sealed interface Part permits Text, Slot {}

  private record Text(String text) implements Part {}

  private record Slot(String name, boolean inString) implements Part {}

  private final List<Part> parts;
  private final boolean json;

  private InputTemplate(List<Part> parts, boolean json) {
    this.parts = List.copyOf(parts);
    this.json = json;
  }

  static InputTemplate compile(String template) {
    boolean json = template.strip().startsWith("{");
    List<Part> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int from = 0;
    boolean inString = false;
    while (m.find()) {
      inString = scanQuotes(template, from, m.start(), inString);
      if (m.start() > from) parts.add(new Text(template.substring(from, m.start())));
      parts.add(new Slot(m.group(1), inString));
      from = m.end();
    }
    if (from < template.length()) parts.add(new Text(template.substring(from)));
    return new InputTemplate(parts, json);
  }

  /** Whether the text [from, to) leaves us inside a string literal, starting in or out of one. */
  private static boolean scanQuotes(String s, int from, int to, boolean inString) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (inString && c == '\\') {
        i++;
      } else if (c == '"') {
        inString = !inString;
      }
    }
    return inString;
  }

  /** The names of the placeholders, in order of appearance. */
  List<String> placeholders() {
    List<String> names = new ArrayList<>();
    for (Part p : parts) if (p instanceof Slot s) names.add(s.name());
    return names;
  }

  /**
   * Fills the template; {@code values} maps each variable to its value ({@link JsonPath#MISSING}
   * or absent when its path selected nothing).
   */
  String render(Map<String, Object> values) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Text t) {
        out.append(t.text());
      } else if (p instanceof Slot s) {
        out.append(fill(s, values.getOrDefault(s.name(), JsonPath.MISSING)));
      }
    }
    String text = out.toString();
    return json ? minified(text) : text;
  }

  private String fill(Slot slot, Object value) {
    if (slot.name().equals(EVENT) || slot.name().equals(EVENT_JSON)) return Json.encode(value);
    if (value == JsonPath.MISSING) return slot.inString() || !json ? "" : "\"\"";
    if (slot.inString()) {
      String text = value instanceof String s ? s : Json.encode(value);
      String quoted = Json.encode(text);
      return quoted.substring(1, quoted.length() - 1);
    }
    if (json) return Json.encode(value);
    return value instanceof String s ? s : Json.encode(value);
  }

  private static String minified(String text) {
    try {
      Object parsed = Json.decodeValue(text);
      if (parsed instanceof JsonObject o) return o.encode();
      if (parsed instanceof JsonArray a) return a.encode();
      return text;
    } catch (DecodeException e) {
      return text;
    }
  }
}
