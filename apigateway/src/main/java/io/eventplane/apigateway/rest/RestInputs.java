package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * Reading a REST API (v1) operation's input members, which the wire and the API reference both
 * spell in lower camel case ({@code restApiId}, {@code pathPart}): a member of the wrong JSON type
 * is a BadRequestException naming it, a missing required one too.
 */
final class RestInputs {
  private RestInputs() {}

  static String string(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof String s)) throw badRequest("Invalid input for '" + member + "': expected a string");
    return s;
  }

  static String required(JsonObject in, String member) {
    String v = string(in, member);
    if (v == null || v.isEmpty()) throw badRequest("Invalid input: '" + member + "' is a required parameter");
    return v;
  }

  static Boolean bool(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Boolean b) return b;
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) return Boolean.valueOf(s);
    throw badRequest("Invalid input for '" + member + "': expected a boolean");
  }

  static boolean bool(JsonObject in, String member, boolean otherwise) {
    Boolean b = bool(in, member);
    return b == null ? otherwise : b;
  }

  static Integer integer(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
    if (v instanceof String s) {
      try {
        return Integer.valueOf(s.strip());
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw badRequest("Invalid input for '" + member + "': expected an integer");
  }

  static Double number(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.valueOf(s.strip());
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw badRequest("Invalid input for '" + member + "': expected a number");
  }

  static JsonObject object(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Map<?, ?> m) return new JsonObject(castMap(m));
    if (!(v instanceof JsonObject o)) throw badRequest("Invalid input for '" + member + "': expected an object");
    return o;
  }

  /** A map of strings (tags, variables, request parameters to values, templates). */
  static JsonObject stringMap(JsonObject in, String member) {
    JsonObject o = object(in, member);
    if (o == null) return null;
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String)) {
        throw badRequest("Invalid input for '" + member + "': the value of '" + e.getKey() + "' must be a string");
      }
    }
    return o.copy();
  }

  /** A map of booleans (a method's request parameters, a method response's response parameters). */
  static JsonObject boolMap(JsonObject in, String member) {
    JsonObject o = object(in, member);
    if (o == null) return null;
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof Boolean b)) {
        throw badRequest("Invalid input for '" + member + "': the value of '" + e.getKey() + "' must be a boolean");
      }
      out.put(e.getKey(), b);
    }
    return out;
  }

  static JsonArray array(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Collection<?> c) return new JsonArray(new java.util.ArrayList<>(c));
    if (!(v instanceof JsonArray a)) throw badRequest("Invalid input for '" + member + "': expected a list");
    return a;
  }

  static JsonArray stringList(JsonObject in, String member) {
    JsonArray a = array(in, member);
    if (a == null) return null;
    for (Object o : a) {
      if (!(o instanceof String)) throw badRequest("Invalid input for '" + member + "': expected a list of strings");
    }
    return a.copy();
  }

  static String oneOf(String value, String member, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw badRequest("Invalid " + member + " specified: " + value + ". Must be one of " + allowed);
    }
    return value;
  }

  /** A value of one of the service model's enums; else a ValidationException worded as AWS's request validation words it. */
  static String enumValue(String value, String at, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError.sender("ValidationException",
          "1 validation error detected: Value '" + value + "' at '" + at + "' failed to satisfy constraint: Member must satisfy "
          + "enum value set: " + allowed));
    }
    return value;
  }

  static String name(JsonObject in, String member, int max) {
    String v = required(in, member);
    if (v.length() > max) throw badRequest("Invalid input for '" + member + "': at most " + max + " characters");
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
