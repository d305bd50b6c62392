package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.QueueErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to an operation's input with the AWS errors for missing or ill-typed members. */
final class Inputs {
  private final JsonObject json;

  Inputs(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  JsonObject json() {
    return json;
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  String string(String name) {
    Object v = json.getValue(name);
    if (v == null) return null;
    if (v instanceof String s) return s;
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    throw QueueErrors.invalidParameter(name, v, "Must be a string.");
  }

  String requireString(String name) {
    String s = string(name);
    if (s == null) throw QueueErrors.missingParameter(name);
    return s;
  }

  Integer integer(String name, int min, int max) {
    return integer(name, min, max, "Must be between " + min + " and " + max + ".");
  }

  /**
   * An optional integer member; out of range it is InvalidParameterValue with the member's own
   * reason, worded per parameter as SQS words it (e.g. "Must be between 1 and 10, if provided.").
   */
  Integer integer(String name, int min, int max, String rangeReason) {
    Object v = json.getValue(name);
    if (v == null) return null;
    long n;
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      n = num.longValue();
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw QueueErrors.invalidParameter(name, v, "Must be an integer.");
      }
    } else {
      throw QueueErrors.invalidParameter(name, v, "Must be an integer.");
    }
    if (n < min || n > max) throw QueueErrors.invalidParameter(name, v, rangeReason);
    return (int) n;
  }

  int requireInteger(String name, int min, int max) {
    Integer n = integer(name, min, max);
    if (n == null) throw QueueErrors.missingParameter(name);
    return n;
  }

  List<String> stringList(String name) {
    Object v = json.getValue(name);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw QueueErrors.invalidParameter(name, v, "Must be a list of strings.");
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof String s)) throw QueueErrors.invalidParameter(name, v, "Must be a list of strings.");
      out.add(s);
    }
    return out;
  }

  Map<String, String> stringMap(String name) {
    Object v = json.getValue(name);
    if (v == null) return Map.of();
    if (!(v instanceof JsonObject o)) throw QueueErrors.invalidParameter(name, v, "Must be a map of strings.");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      Object value = e.getValue();
      if (value instanceof String s) out.put(e.getKey(), s);
      else if (value instanceof Number || value instanceof Boolean) out.put(e.getKey(), value.toString());
      else throw QueueErrors.invalidParameter(name, v, "Must be a map of strings.");
    }
    return out;
  }

  JsonObject object(String name) {
    Object v = json.getValue(name);
    if (v == null) return null;
    if (!(v instanceof JsonObject o)) throw QueueErrors.invalidParameter(name, v, "Must be a structure.");
    return o;
  }

  List<Inputs> objectList(String name) {
    Object v = json.getValue(name);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw QueueErrors.invalidParameter(name, "[...]", "Must be a list.");
    List<Inputs> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof JsonObject j)) throw QueueErrors.invalidParameter(name, "[...]", "Must be a list of structures.");
      out.add(new Inputs(j));
    }
    return out;
  }
}
