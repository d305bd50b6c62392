package io.eventplane.eventbridge.transform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset EventBridge accepts in {@code InputPath} and {@code InputPathsMap}: {@code $},
 * dotted names (dashes, underscores, slashes and other characters but dots and brackets), numeric
 * indexes {@code [n]} and the wildcards {@code .*} and {@code [*]}. Bracketed quoted names
 * ({@code $.detail['key']}) are refused, as PutTargets refuses them: its model says "dot notation,
 * not bracket notation" and AWS answers "InputPath for target <id> is invalid." for them.
 *
 * <p>Immutable and thread-safe; parse once at PutTargets, select many times.
 */
final class JsonPath {
  /** What {@link #select} answers when the path selects nothing. */
  static final Object MISSING = new Object();

  private sealed interface Step permits Field, Index, Wildcard {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record Wildcard() implements Step {}

  private final String text;
  private final List<Step> steps;
  private final boolean wildcard;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
    this.wildcard = steps.stream().anyMatch(s -> s instanceof Wildcard);
  }

  /** The path, or an {@link IllegalArgumentException} when EventBridge would refuse it. */
  static JsonPath parse(String text) {
    if (text == null || text.isEmpty() || text.charAt(0) != '$') throw invalid(text);
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          if (text.charAt(end) == ']') throw invalid(text);
          end++;
        }
        String name = text.substring(i + 1, end);
        if (name.isEmpty()) throw invalid(text);
        steps.add(name.equals("*") ? new Wildcard() : new Field(name));
        i = end;
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) throw invalid(text);
        String inside = text.substring(i + 1, close);
        if (inside.equals("*")) {
          steps.add(new Wildcard());
        } else if (!inside.isEmpty() && inside.length() <= 9 && inside.chars().allMatch(Character::isDigit)) {
          steps.add(new Index(Integer.parseInt(inside)));
        } else {
          throw invalid(text);
        }
        i = close + 1;
      } else {
        throw invalid(text);
      }
    }
    return new JsonPath(text, steps);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("not a supported JSON path: " + text);
  }

  /**
   * The value the path selects in {@code root}: a JSON value as Vert.x holds it ({@link JsonObject},
   * {@link JsonArray}, String, Number, Boolean or null), or {@link #MISSING}. A path with a wildcard
   * always answers a {@link JsonArray} of everything it selects, as JSONPath's indefinite paths do.
   */
  Object select(JsonObject root) {
    if (!wildcard) {
      Object at = root;
      for (Step step : steps) {
        at = stepInto(at, step);
        if (at == MISSING) return MISSING;
      }
      return at;
    }
    List<Object> current = List.of(root);
    for (Step step : steps) {
      List<Object> next = new ArrayList<>();
      for (Object at : current) {
        if (step instanceof Wildcard) {
          if (at instanceof JsonObject o) o.forEach(e -> next.add(e.getValue()));
          else if (at instanceof JsonArray a) a.forEach(next::add);
        } else {
          Object v = stepInto(at, step);
          if (v != MISSING) next.add(v);
        }
      }
      current = next;
    }
    return new JsonArray(new ArrayList<>(current));
  }

  private static Object stepInto(Object at, Step step) {
    if (step instanceof Field f && at instanceof JsonObject o) {
      return o.containsKey(f.name()) ? o.getValue(f.name()) : MISSING;
    }
    if (step instanceof Index ix && at instanceof JsonArray a) {
      return ix.index() < a.size() ? a.getValue(ix.index()) : MISSING;
    }
    return MISSING;
  }

  @Override
  public String toString() {
    return text;
  }
}
