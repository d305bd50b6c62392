package io.eventplane.gateway.apigateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * API Gateway's JSON member names: the wire spells them in lower camel case ({@code apiId},
 * {@code corsConfiguration}), the services' canonical input and output as the API reference's
 * shapes do ({@code ApiId}, {@code CorsConfiguration}). Maps whose keys are the user's
 * (tags, stage variables, request parameters, route settings by route key) keep their keys.
 */
public final class WireNames {
  /** Maps of the user's keys and values, copied as they are. */
  private static final Set<String> DATA_MAPS = Set.of("Tags", "StageVariables", "ResponseParameters", "RequestTemplates",
      "RequestModels", "ResponseModels", "ResponseTemplates", "Variables");
  /** Maps of the user's keys to structures (route settings by route key, route request parameters). */
  private static final Set<String> STRUCTURE_MAPS = Set.of("RouteSettings", "RequestParameters");

  private WireNames() {}

  /** The members of a wire body (lower camel case to the API reference's names). */
  public static JsonObject toMembers(JsonObject wire) {
    return convert(wire, true);
  }

  /** The wire body of an output (the API reference's names to lower camel case). */
  public static JsonObject toWire(JsonObject members) {
    return convert(members, false);
  }

  public static String member(String wireName) {
    return wireName.isEmpty() ? wireName : Character.toUpperCase(wireName.charAt(0)) + wireName.substring(1);
  }

  public static String wire(String member) {
    return member.isEmpty() ? member : Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }

  private static JsonObject convert(JsonObject o, boolean toMembers) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : o) {
      String member = toMembers ? member(e.getKey()) : e.getKey();
      String name = toMembers ? member : wire(e.getKey());
      Object v = e.getValue();
      if (DATA_MAPS.contains(member)) {
        out.put(name, v);
      } else if (STRUCTURE_MAPS.contains(member) && v instanceof JsonObject map) {
        JsonObject kept = new JsonObject();
        for (Map.Entry<String, Object> m : map) kept.put(m.getKey(), value(m.getValue(), toMembers));
        out.put(name, kept);
      } else {
        out.put(name, value(v, toMembers));
      }
    }
    return out;
  }

  private static Object value(Object v, boolean toMembers) {
    if (v instanceof JsonObject o) return convert(o, toMembers);
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object x : a) out.add(value(x, toMembers));
      return out;
    }
    return v;
  }
}
