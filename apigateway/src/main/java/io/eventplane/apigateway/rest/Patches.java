package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST API's Update* calls: a list of {@code patchOperations} ({@code op}, {@code path},
 * {@code value}, {@code from}) applied in order to a resource's output shape. Each resource says
 * which paths it takes: scalar members ({@code /name}), maps keyed by the path's last segment
 * ({@code /requestParameters/method.request.header.x}), string sets ({@code /binaryMediaTypes/image~1png})
 * and its own paths. Path segments escape {@code /} as {@code ~1} and {@code ~} as {@code ~0}, as
 * JSON Patch does. Values are strings on the wire and converted to the member's type; a path the
 * resource does not take is a BadRequestException.
 */
final class Patches {
  private static final Set<String> OPS = Set.of("add", "remove", "replace", "move", "copy", "test");

  /** One patch operation. */
  record Op(String op, String path, String value, String from) {
    String requiredValue() {
      if (value == null) throw badRequest("Invalid patch operation: a value is required for op '" + op + "' on path '" + path + "'");
      return value;
    }
  }

  /** The type of a patched member. */
  enum Kind { STRING, BOOL, INT, DOUBLE }

  /** A path applied by the resource's own code. */
  @FunctionalInterface
  interface Custom {
    /** Applies {@code op} whose path's rest (after the prefix and its slash, unescaped segments kept escaped) is {@code rest}. */
    void apply(JsonObject resource, Op op, String rest);
  }

  private record Scalar(String member, Kind kind, boolean removable) {}

  private final Map<String, Scalar> scalars = new LinkedHashMap<>();
  private final Map<String, Object[]> maps = new LinkedHashMap<>();
  private final Map<String, String> sets = new LinkedHashMap<>();
  private final Map<String, Custom> customs = new LinkedHashMap<>();
  private boolean shortErrors;

  /**
   * Words errors as API Gateway does for REST APIs and methods ({@code Invalid patch path /x},
   * {@code Invalid patch operation specified. Must be one of: [replace]}) rather than as for most
   * resources ({@code Invalid patch path  '/x' specified for op 'replace'. Must be one of: [...]}).
   */
  Patches shortErrors() {
    this.shortErrors = true;
    return this;
  }

  /** {@code /member}, replaced (or removed when removable) with a value of its kind. */
  Patches scalar(String member, Kind kind, boolean removable) {
    scalars.put("/" + member, new Scalar(member, kind, removable));
    return this;
  }

  Patches scalar(String path, String member, Kind kind, boolean removable) {
    scalars.put(path, new Scalar(member, kind, removable));
    return this;
  }

  /** {@code /member/<key>}: add or replace puts the key, remove removes it. */
  Patches map(String member, Kind valueKind) {
    maps.put("/" + member, new Object[] {member, valueKind, null});
    return this;
  }

  /** A map whose keys must exist to be removed or replaced: else NotFoundException with {@code missing}. */
  Patches map(String member, Kind valueKind, String missing) {
    maps.put("/" + member, new Object[] {member, valueKind, missing});
    return this;
  }

  /** {@code /member/<value>}: add adds the value, remove removes it, replace renames it to {@code value}. */
  Patches set(String member) {
    sets.put("/" + member, member);
    return this;
  }

  /** Paths starting {@code prefix} (the path itself or under it), applied by {@code custom}. */
  Patches custom(String prefix, Custom custom) {
    customs.put(prefix, custom);
    return this;
  }

  /** The call's patch operations (none when absent). */
  static List<Op> of(JsonObject in) {
    JsonArray ops = RestInputs.array(in, "patchOperations");
    List<Op> out = new ArrayList<>();
    if (ops == null) return out;
    for (Object o : ops) {
      if (!(o instanceof JsonObject j)) throw badRequest("Invalid input for 'patchOperations': expected a list of objects");
      String op = RestInputs.string(j, "op");
      String path = RestInputs.string(j, "path");
      if (op == null || !OPS.contains(op)) {
        throw badRequest("Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]");
      }
      if (path == null || !path.startsWith("/")) throw badRequest("Invalid patch path " + path);
      out.add(new Op(op, path, RestInputs.string(j, "value"), RestInputs.string(j, "from")));
    }
    return out;
  }

  /** Applies the call's patch operations to a copy of {@code resource} and answers it. */
  JsonObject apply(JsonObject resource, JsonObject in) {
    JsonObject out = resource.copy();
    for (Op op : of(in)) apply(out, op);
    return out;
  }

  /** Applies one operation to {@code out} in place. */
  void apply(JsonObject out, Op op) {
    Scalar s = scalars.get(op.path());
    if (s != null) {
      if (op.op().equals("replace")) {
        out.put(s.member(), convert(s.kind() == Kind.STRING ? op.requiredValue() : op.value(), s.kind(), op.path()));
        return;
      }
      if (op.op().equals("remove") && s.removable()) {
        out.remove(s.member());
        return;
      }
      throw wrongOp(op);
    }
    for (Map.Entry<String, Object[]> m : maps.entrySet()) {
      if (!op.path().equals(m.getKey()) && !op.path().startsWith(m.getKey() + "/")) continue;
      String raw = op.path().length() > m.getKey().length() ? op.path().substring(m.getKey().length() + 1) : "";
      // The key is one segment: a media type's slash is written ~1.
      if (raw.isEmpty() || raw.contains("/")) throw unknownPath(op);
      String key = unescape(raw);
      String member = (String) m.getValue()[0];
      Kind kind = (Kind) m.getValue()[1];
      JsonObject map = out.getJsonObject(member, new JsonObject()).copy();
      String missing = (String) m.getValue()[2];
      if (missing != null && !op.op().equals("add") && !map.containsKey(key)) {
        throw io.eventplane.apigateway.domain.ApiGatewayErrors.notFound(missing);
      }
      switch (op.op()) {
        case "add", "replace" -> map.put(key, convert(kind == Kind.STRING && op.value() == null ? "" : op.value(), kind, op.path()));
        case "remove" -> map.remove(key);
        default -> throw wrongOp(op);
      }
      // A map emptied by removals is no longer answered, as AWS's outputs show.
      if (map.isEmpty() && op.op().equals("remove")) out.remove(member);
      else out.put(member, map);
      return;
    }
    for (Map.Entry<String, String> m : sets.entrySet()) {
      if (!op.path().startsWith(m.getKey() + "/")) continue;
      String item = unescape(op.path().substring(m.getKey().length() + 1));
      JsonArray list = out.getJsonArray(m.getValue(), new JsonArray()).copy();
      switch (op.op()) {
        case "add" -> {
          if (!list.contains(item)) list.add(item);
        }
        case "remove" -> list.remove(item);
        case "replace" -> {
          int at = list.getList().indexOf(item);
          if (at < 0) throw unknownPath(op);
          list.set(at, op.requiredValue());
        }
        default -> throw wrongOp(op);
      }
      out.put(m.getValue(), list);
      return;
    }
    for (Map.Entry<String, Custom> c : customs.entrySet()) {
      if (op.path().equals(c.getKey()) || op.path().startsWith(c.getKey() + "/")) {
        String rest = op.path().length() > c.getKey().length() ? op.path().substring(c.getKey().length() + 1) : "";
        c.getValue().apply(out, op, rest);
        return;
      }
    }
    throw unknownPath(op);
  }

  /** A path this resource does not take. */
  RuntimeException unknownPath(Op op) {
    if (shortErrors) return badRequest("Invalid patch path " + op.path());
    if (op.op().equals("replace")) {
      return badRequest("Invalid patch path  '" + op.path() + "' specified for op 'replace'. Must be one of: "
          + scalars.keySet().toString());
    }
    return invalid(op);
  }

  /** A path this resource takes, with an operation it does not take there. */
  RuntimeException wrongOp(Op op) {
    return shortErrors ? badRequest("Invalid patch operation specified. Must be one of: [replace]") : invalid(op);
  }

  static RuntimeException invalid(Op op) {
    return badRequest("Invalid patch path  '" + op.path() + "' specified for op '" + op.op() + "'. Please choose supported operations");
  }

  /** A patch value as the member's type; a boolean is true only for {@code true}, as API Gateway reads it. */
  static Object convert(String value, Kind kind, String path) {
    if (kind == Kind.BOOL) return "true".equalsIgnoreCase(value);
    if (value == null) throw badRequest("Invalid patch operation: a value is required for path '" + path + "'");
    try {
      return switch (kind) {
        case STRING -> value;
        case BOOL -> Boolean.valueOf(value);
        case INT -> Integer.valueOf(value.strip());
        case DOUBLE -> Double.valueOf(value.strip());
      };
    } catch (NumberFormatException e) {
      throw badRequest("Invalid value '" + value + "' for patch path '" + path + "'");
    }
  }

  /** A JSON Pointer segment's text: {@code ~1} is {@code /}, {@code ~0} is {@code ~}. */
  static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }
}
