package io.eventplane.gateway.query;

import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.MapOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Struct;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Writes an operation's output as a Query service answers a caller that accepts
 * {@code application/json}: the XML document's tree as JSON,
 * {@code {"XResponse": {"XResult": {...}, "ResponseMetadata": {"RequestId": ...}}}}, with members
 * under their JSON names, lists as arrays and maps as arrays of key/value objects named as the XML
 * names them ({@code "Attributes": [{"Name": ..., "Value": ...}]}, as SQS answers GetQueueAttributes in
 * LocalStack's AWS-validated test_get_queue_attributes_json_format).
 */
public final class QueryJsonEncoder {
  private QueryJsonEncoder() {}

  /** @throws IllegalStateException when the output does not fit the model (a service bug) */
  public static String encode(QueryModel model, String operation, JsonObject output, String requestId) {
    Shape.Operation op = model.operation(operation);
    JsonObject response = new JsonObject();
    if (op.output() != null) response.put(operation + "Result", struct(op.output(), output == null ? new JsonObject() : output));
    response.put("ResponseMetadata", new JsonObject().put("RequestId", requestId));
    return new JsonObject().put(operation + "Response", response).encode();
  }

  /** An error: {@code {"Error": {"Type": ..., "Code": ..., "Message": ...}, "RequestId": ...}}. */
  public static String error(String type, String code, String message, String requestId) {
    return new JsonObject()
        .put("Error", new JsonObject().put("Type", type).put("Code", code).put("Message", message))
        .put("RequestId", requestId)
        .encode();
  }

  private static JsonObject struct(Struct shape, JsonObject json) {
    JsonObject out = new JsonObject();
    for (Member m : shape.members()) {
      Object value = json.getValue(m.name());
      if (value != null) out.put(m.name(), member(m, value));
    }
    return out;
  }

  private static Object member(Member m, Object value) {
    if (m.shape() instanceof ListOf list) {
      JsonArray out = new JsonArray();
      for (Object each : expect(JsonArray.class, value, m)) out.add(value(list.member(), each, m));
      return out;
    }
    if (m.shape() instanceof MapOf map) {
      JsonArray out = new JsonArray();
      for (Map.Entry<String, Object> e : expect(JsonObject.class, value, m)) {
        JsonObject entry = new JsonObject().put(map.keyName(), e.getKey());
        if (e.getValue() != null) entry.put(map.valueName(), value(map.value(), e.getValue(), m));
        out.add(entry);
      }
      return out;
    }
    return value(m.shape(), value, m);
  }

  private static Object value(Shape shape, Object value, Member owner) {
    if (shape instanceof Struct s) return struct(s, expect(JsonObject.class, value, owner));
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new IllegalStateException("output member " + owner.name() + " holds a structure where the model has a scalar");
    }
    return value;
  }

  private static <T> T expect(Class<T> type, Object value, Member owner) {
    if (!type.isInstance(value)) {
      throw new IllegalStateException("output member " + owner.name() + " is not a " + type.getSimpleName());
    }
    return type.cast(value);
  }
}
