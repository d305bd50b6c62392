package io.eventplane.gateway.query;

import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Scalar;
import io.eventplane.gateway.query.Shape.Struct;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns flattened Query parameters ({@code SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue})
 * or wrapped ones ({@code Attributes.entry.1.key}, {@code Tags.member.2.Value}) into the
 * operation's JSON input, guided by the model. Parameters the model does not name
 * ({@code Action}, {@code Version}, presigning parameters) are ignored, as AWS does.
 *
 * <p>Numbers that do not parse stay strings so the service, which owns validation, answers
 * {@code InvalidParameterValue} with its own message.
 */
public final class QueryInputDecoder {
  private final Map<String, String> params;
  /** For every parameter prefix followed by a numeric segment, the indexes seen; built once. */
  private final Map<String, SortedSet<Integer>> indexes = new HashMap<>();

  private QueryInputDecoder(Map<String, String> params) {
    this.params = params;
    for (String key : params.keySet()) indexKey(key);
  }

  public static JsonObject decode(Struct input, Map<String, String> params) {
    return new QueryInputDecoder(params).struct(input, "");
  }

  private void indexKey(String key) {
    int dot = key.indexOf('.');
    while (dot >= 0) {
      int next = key.indexOf('.', dot + 1);
      String segment = key.substring(dot + 1, next < 0 ? key.length() : next);
      int index = positiveInt(segment);
      if (index > 0) indexes.computeIfAbsent(key.substring(0, dot), k -> new TreeSet<>()).add(index);
      dot = next;
    }
  }

  private static int positiveInt(String s) {
    if (s.isEmpty() || s.length() > 9) return -1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return -1;
    }
    return Integer.parseInt(s);
  }

  private JsonObject struct(Struct shape, String prefix) {
    JsonObject out = new JsonObject();
    for (Member m : shape.members()) {
      String name = prefix + m.wireName();
      Object value;
      if (m.shape() instanceof Scalar s) {
        value = scalar(s, params.get(name));
      } else if (m.shape() instanceof ListOf l) {
        value = list(l, name);
      } else if (m.shape() instanceof MapOf mp) {
        value = map(mp, name);
      } else {
        value = hasAny(name + ".") ? struct((Struct) m.shape(), name + ".") : null;
      }
      if (value == null && !m.wireName().equals(m.name()) && (m.shape() instanceof ListOf || m.shape() instanceof MapOf)) {
        // Some clients (the AWS SDK for Java v1's TagQueue) use the member name, not the flattened one.
        String alt = prefix + m.name();
        value = m.shape() instanceof ListOf l ? list(l, alt) : map((MapOf) m.shape(), alt);
      }
      if (value != null) out.put(m.name(), value);
    }
    return out;
  }

  private JsonArray list(ListOf shape, String member) {
    String name = shape.wrapper() == null ? member : member + "." + shape.wrapper();
    SortedSet<Integer> seen = indexes.get(name);
    if (seen == null) return null;
    JsonArray out = new JsonArray();
    for (int i : seen) {
      String item = name + "." + i;
      Object value = shape.member() instanceof Struct s ? struct(s, item + ".") : element(shape.member(), item);
      if (value != null) out.add(value);
    }
    return out;
  }

  private JsonObject map(MapOf shape, String member) {
    String name = shape.wrapper() == null ? member : member + "." + shape.wrapper();
    SortedSet<Integer> seen = indexes.get(name);
    if (seen == null) return null;
    JsonObject out = new JsonObject();
    for (int i : seen) {
      String entry = name + "." + i + ".";
      String key = params.get(entry + shape.keyName());
      if (key == null) throw new ServiceException(GatewayErrors.missingParameter(entry + shape.keyName()));
      Object value = shape.value() instanceof Struct s
          ? struct(s, entry + shape.valueName() + ".")
          : element(shape.value(), entry + shape.valueName());
      out.put(key, value);
    }
    return out;
  }

  private Object element(Shape shape, String name) {
    String raw = params.get(name);
    if (raw == null) throw new ServiceException(GatewayErrors.missingParameter(name));
    return scalar((Scalar) shape, raw);
  }

  private boolean hasAny(String prefix) {
    return params.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  static Object scalar(Scalar type, String raw) {
    if (raw == null) return null;
    return switch (type) {
      case STRING, BLOB -> raw;
      case INTEGER -> {
        try {
          yield Integer.valueOf(raw);
        } catch (NumberFormatException e) {
          yield raw;
        }
      }
      case LONG -> {
        try {
          yield Long.valueOf(raw);
        } catch (NumberFormatException e) {
          yield raw;
        }
      }
      case DOUBLE -> {
        try {
          yield Double.valueOf(raw);
        } catch (NumberFormatException e) {
          yield raw;
        }
      }
      case TIMESTAMP -> epochSeconds(raw);
      case BOOLEAN -> "true".equalsIgnoreCase(raw) ? Boolean.TRUE : "false".equalsIgnoreCase(raw) ? (Object) Boolean.FALSE : raw;
    };
  }

  /** ISO 8601 text (with or without an offset, as clients write it) or epoch seconds as epoch seconds; else the text itself. */
  private static Object epochSeconds(String raw) {
    try {
      java.time.temporal.TemporalAccessor t = java.time.format.DateTimeFormatter.ISO_DATE_TIME.parseBest(raw,
          java.time.OffsetDateTime::from, java.time.LocalDateTime::from);
      java.time.Instant instant = t instanceof java.time.OffsetDateTime o ? o.toInstant()
          : ((java.time.LocalDateTime) t).toInstant(java.time.ZoneOffset.UTC);
      return new java.math.BigDecimal(instant.toEpochMilli()).movePointLeft(3).stripTrailingZeros().doubleValue();
    } catch (java.time.format.DateTimeParseException e) {
      try {
        return new java.math.BigDecimal(raw).doubleValue();
      } catch (NumberFormatException notNumber) {
        return raw;
      }
    }
  }
}
