package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading an SNS request's members, with SNS's errors for missing or mistyped ones. */
final class Inputs {
  private Inputs() {}

  static String required(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) throw TopicErrors.missing(name);
    if (!(v instanceof String s)) throw TopicErrors.invalidParameter(name);
    return s;
  }

  static String optional(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) return null;
    if (!(v instanceof String s)) throw TopicErrors.invalidParameter(name);
    return s;
  }

  static Map<String, String> stringMap(JsonObject in, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    Object v = in.getValue(name);
    if (v == null) return out;
    if (!(v instanceof JsonObject map)) throw TopicErrors.invalidParameter(name);
    for (Map.Entry<String, Object> e : map) {
      if (!(e.getValue() instanceof String s)) throw TopicErrors.invalidParameter(name);
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** Tags as SNS sends them: a list of {Key, Value}. */
  static Map<String, String> tags(JsonObject in) {
    Map<String, String> out = new LinkedHashMap<>();
    Object v = in.getValue("Tags");
    if (v == null) return out;
    if (!(v instanceof JsonArray list)) throw TopicErrors.invalidParameter("Tags");
    for (Object item : list) {
      if (!(item instanceof JsonObject tag) || !(tag.getValue("Key") instanceof String key)) {
        throw TopicErrors.invalidParameter("Tags");
      }
      Object value = tag.getValue("Value");
      if (value != null && !(value instanceof String)) throw TopicErrors.invalidParameter("Tags");
      out.put(key, value == null ? "" : (String) value);
    }
    return out;
  }

  static java.util.List<String> stringList(JsonObject in, String name) {
    Object v = in.getValue(name);
    if (v == null) return java.util.List.of();
    if (!(v instanceof JsonArray list)) throw TopicErrors.invalidParameter(name);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s)) throw TopicErrors.invalidParameter(name);
      out.add(s);
    }
    return out;
  }
}
