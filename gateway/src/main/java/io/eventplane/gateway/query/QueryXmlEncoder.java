package io.eventplane.gateway.sqs;

import io.eventplane.gateway.query.XmlWriter;
import io.eventplane.gateway.sqs.Shape.ListOf;
import io.eventplane.gateway.sqs.Shape.MapOf;
import io.eventplane.gateway.sqs.Shape.Member;
import io.eventplane.gateway.sqs.Shape.Struct;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Writes an operation's JSON output as the Query protocol's XML response:
 * {@code <XResponse xmlns=...><XResult>...</XResult><ResponseMetadata>...}. Elements follow the
 * model's order whatever the JSON order; members the model does not know are left out.
 */
final class QueryXmlEncoder {
  private QueryXmlEncoder() {}

  /**
   * @throws IllegalStateException when the output does not fit the model (a service bug), so the
   *     caller answers InternalFailure rather than a half-written document
   */
  static String encode(String operation, JsonObject output, String requestId) {
    SqsModel.Operation op = SqsModel.operation(operation);
    XmlWriter xml = XmlWriter.document().start(operation + "Response", SqsModel.XML_NAMESPACE);
    if (op.output() != null) {
      xml.start(operation + "Result");
      struct(xml, op.output(), output == null ? new JsonObject() : output);
      xml.end();
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
      for (Object item : expect(JsonArray.class, value, m)) value(xml, m.wireName(), list.member(), item, m);
    } else if (m.shape() instanceof MapOf map) {
      for (Map.Entry<String, Object> e : expect(JsonObject.class, value, m)) {
        xml.start(m.wireName()).element(map.keyName(), e.getKey());
        if (e.getValue() != null) value(xml, map.valueName(), map.value(), e.getValue(), m);
        xml.end();
      }
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
