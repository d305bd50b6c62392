package io.eventplane.gateway.query;

import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Struct;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Writes an operation's JSON output as the Query protocol's XML response:
 * {@code <XResponse xmlns=...><XResult>...</XResult><ResponseMetadata>...}. Elements follow the
 * model's order whatever the JSON order; members the model does not know are left out.
 */
public final class QueryXmlEncoder {
  private QueryXmlEncoder() {}

  /**
   * @throws IllegalStateException when the output does not fit the model (a service bug), so the
   *     caller answers InternalFailure rather than a half-written document
   */
  public static String encode(QueryModel model, String operation, JsonObject output, String requestId) {
    Shape.Operation op = model.operation(operation);
    XmlWriter xml = XmlWriter.document().start(operation + "Response", model.xmlNamespace());
    if (op.output() != null) {
      xml.start(operation + "Result");
      struct(xml, op.output(), output == null ? new JsonObject() : output);
      xml.endCollapsingEmpty();
    }
    return xml.start("ResponseMetadata").element("RequestId", requestId).end().end().toString();
  }

  private static void struct(XmlWriter xml, Struct shape, JsonObject json) {
    for (Member m : shape.members()) {
      Object value = json.getValue(m.name());
      if (value != null) member(xml, m, value);
    }
  }

  private static void member(XmlWriter xml, Member m, Object value) {
    if (m.shape() instanceof ListOf list) {
      JsonArray items = expect(JsonArray.class, value, m);
      if (list.wrapper() != null) xml.start(m.wireName());
      String item = list.wrapper() == null ? m.wireName() : list.wrapper();
      for (Object each : items) value(xml, item, list.member(), each, m);
      if (list.wrapper() != null) xml.end();
    } else if (m.shape() instanceof MapOf map) {
      JsonObject entries = expect(JsonObject.class, value, m);
      if (map.wrapper() != null) xml.start(m.wireName());
      String entry = map.wrapper() == null ? m.wireName() : map.wrapper();
      for (Map.Entry<String, Object> e : entries) {
        xml.start(entry).element(map.keyName(), e.getKey());
        if (e.getValue() != null) value(xml, map.valueName(), map.value(), e.getValue(), m);
        xml.end();
      }
      if (map.wrapper() != null) xml.end();
    } else {
      value(xml, m.wireName(), m.shape(), value, m);
    }
  }

  private static void value(XmlWriter xml, String element, Shape shape, Object value, Member owner) {
    if (shape instanceof Struct s) {
      xml.start(element);
      struct(xml, s, expect(JsonObject.class, value, owner));
      xml.end();
    } else if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new IllegalStateException("output member " + owner.name() + " holds a structure where the model has a scalar");
    } else if (shape == Shape.Scalar.TIMESTAMP && value instanceof Number seconds) {
      xml.element(element, java.time.format.DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochMilli(
          new java.math.BigDecimal(seconds.toString()).movePointRight(3).longValue())));
    } else {
      xml.element(element, String.valueOf(value));
    }
  }

  private static <T> T expect(Class<T> type, Object value, Member owner) {
    if (!type.isInstance(value)) {
      throw new IllegalStateException("output member " + owner.name() + " is not a " + type.getSimpleName());
    }
    return type.cast(value);
  }
}
