package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.Contracts;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The AWS service integrations of HTTP APIs (AWS_PROXY with an IntegrationSubtype, the developer
 * guide's "integration subtype reference") as calls to this server's services: each subtype's
 * mapped request parameters become the input of the service's operation in its AWS JSON shape
 * (numbers as numbers, lists and maps parsed from their JSON text). {@code Region} is not a member:
 * it names the region the call goes to.
 */
final class ServiceIntegrations {
  /** A service operation: where it goes and how the parameters become its input. */
  record Call(String address, String operation, Function<JsonObject, JsonObject> input) {}

  /** The subtypes a service here serves; others (Step Functions, AppConfig) are stored but not served. */
  private static final Map<String, Call> CALLS = Map.of(
      "Kinesis-PutRecord", new Call(Contracts.KINESIS, "PutRecord", p -> typed(p, Set.of(), Set.of(), Set.of())),
      "SQS-SendMessage", new Call(Contracts.SQS, "SendMessage",
          p -> typed(p, Set.of("DelaySeconds"), Set.of(), Set.of("MessageAttributes", "MessageSystemAttributes"))),
      "SQS-ReceiveMessage", new Call(Contracts.SQS, "ReceiveMessage",
          p -> typed(p, Set.of("MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds"),
              Set.of("AttributeNames", "MessageAttributeNames"), Set.of())),
      "SQS-DeleteMessage", new Call(Contracts.SQS, "DeleteMessage", p -> typed(p, Set.of(), Set.of(), Set.of())),
      "SQS-PurgeQueue", new Call(Contracts.SQS, "PurgeQueue", p -> typed(p, Set.of(), Set.of(), Set.of())),
      "EventBridge-PutEvents", new Call(Contracts.EVENTS, "PutEvents",
          p -> new JsonObject().put("Entries", new JsonArray().add(typed(p, Set.of(), Set.of("Resources"), Set.of())))));

  private ServiceIntegrations() {}

  /** The call of a subtype, or null when no service here serves it. */
  static Call of(String subtype) {
    return subtype == null ? null : CALLS.get(subtype);
  }

  /**
   * The parameters as an operation's input: {@code Region} left out, the named members as numbers,
   * lists (a JSON array's text, else comma-separated) and maps (a JSON object's text).
   */
  static JsonObject typed(JsonObject parameters, Set<String> numbers, Set<String> lists, Set<String> maps) {
    JsonObject in = new JsonObject();
    for (String name : parameters.fieldNames()) {
      if (name.equals("Region")) continue;
      String value = parameters.getString(name);
      if (value == null) continue;
      if (numbers.contains(name)) {
        try {
          in.put(name, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
          in.put(name, value);
        }
      } else if (lists.contains(name)) {
        in.put(name, list(value));
      } else if (maps.contains(name)) {
        try {
          in.put(name, new JsonObject(value));
        } catch (DecodeException e) {
          in.put(name, value);
        }
      } else {
        in.put(name, value);
      }
    }
    return in;
  }

  private static JsonArray list(String value) {
    String v = value.trim();
    if (v.startsWith("[")) {
      try {
        return new JsonArray(v);
      } catch (DecodeException e) {
        // fall through: comma-separated
      }
    }
    JsonArray out = new JsonArray();
    for (String item : v.split(",")) if (!item.isBlank()) out.add(item.trim());
    return out;
  }
}
