package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * Reading an operation's input members with API Gateway's checks: a member of the wrong JSON type
 * or out of its bounds is a BadRequestException naming the member as the wire spells it
 * ({@code name}, {@code protocolType}).
 */
final class Inputs {
  private Inputs() {}

  static String wire(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }

  static String string(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof String s)) throw badRequest("Invalid input for '" + wire(member) + "': expected a string");
    return s;
  }

  static String required(JsonObject in, String member) {
    String v = string(in, member);
    if (v == null) throw badRequest("Invalid input: '" + wire(member) + "' is a required parameter");
    return v;
  }

  static Boolean bool(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof Boolean b)) throw badRequest("Invalid input for '" + wire(member) + "': expected a boolean");
    return b;
  }

  static Integer integer(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    if (v instanceof String s) {
      try {
        return Integer.valueOf(s);
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw badRequest("Invalid input for '" + wire(member) + "': expected an integer");
  }

  static Double number(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    throw badRequest("Invalid input for '" + wire(member) + "': expected a number");
  }

  static JsonObject object(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Map<?, ?> m) return new JsonObject(castMap(m));
    if (!(v instanceof JsonObject o)) throw badRequest("Invalid input for '" + wire(member) + "': expected an object");
    return o;
  }

  /** A map of strings (tags, stage variables, request parameters). */
  static JsonObject stringMap(JsonObject in, String member) {
    JsonObject o = object(in, member);
    if (o == null) return null;
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String)) {
        throw badRequest("Invalid input for '" + wire(member) + "': the value of '" + e.getKey() + "' must be a string");
      }
    }
    return o;
  }

  static JsonArray array(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Collection<?> c) return new JsonArray(new java.util.ArrayList<>(c));
    if (!(v instanceof JsonArray a)) throw badRequest("Invalid input for '" + wire(member) + "': expected a list");
    return a;
  }

  static JsonArray stringList(JsonObject in, String member) {
    JsonArray a = array(in, member);
    if (a == null) return null;
    for (Object o : a) {
      if (!(o instanceof String)) throw badRequest("Invalid input for '" + wire(member) + "': expected a list of strings");
    }
    return a;
  }

  static String oneOf(String value, String member, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw badRequest("Invalid " + wire(member) + " specified: " + value + ". Must be one of " + allowed);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
