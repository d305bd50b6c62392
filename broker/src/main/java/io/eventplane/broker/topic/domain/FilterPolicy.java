package io.eventplane.broker.topic.domain;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * A subscription's filter policy, compiled by AWS's event-ruler (the library behind EventBridge
 * patterns, whose syntax SNS filter policies share: exact values, prefix, suffix, anything-but,
 * numeric ranges, exists, cidr, equals-ignore-case, {@code $or}, nested keys).
 *
 * <p>Scope {@code MessageAttributes} (the default) matches an event made of the message's
 * attributes: String as a string, Number as a number, String.Array as its JSON array; Binary
 * attributes are not matchable, as in SNS. Scope {@code MessageBody} matches the message body,
 * which must then be a JSON object.
 */
public final class FilterPolicy {
  public static final String MESSAGE_ATTRIBUTES = "MessageAttributes";
  public static final String MESSAGE_BODY = "MessageBody";
  private static final int MAX_KEYS = 5;
  private static final int MAX_COMBINATIONS = 150;
  private static final int MAX_BYTES = 256 * 1024;
  private static final String RULE = "policy";
  /** Digits after the decimal point SNS compares numbers to. */
  private static final int PRECISION = 5;

  private final Machine machine;
  private final boolean bodyScope;

  private FilterPolicy(Machine machine, boolean bodyScope) {
    this.machine = machine;
    this.bodyScope = bodyScope;
  }

  /** The compiled policy, or null when there is none (everything matches). Input was validated. */
  public static FilterPolicy of(String policy, String scope) {
    if (policy == null || policy.isBlank() || new JsonObject(policy).isEmpty()) return null;
    Machine machine = new Machine();
    try {
      machine.addRule(RULE, ((JsonObject) fivePlaces(new JsonObject(policy))).encode());
    } catch (Exception e) {
      throw new IllegalArgumentException("filter policy does not compile: " + e.getMessage(), e);
    }
    return new FilterPolicy(machine, MESSAGE_BODY.equals(scope));
  }

  /**
   * Checks a FilterPolicy attribute value as SNS does.
   *
   * @param prefix {@code "Attributes Reason: "} when the policy came with Subscribe, else ""
   * @throws io.eventplane.common.error.ServiceException InvalidParameter with SNS's reason
   */
  public static void validate(String policy, String scope, String prefix) {
    if (policy.isBlank()) return;
    String p = prefix + "FilterPolicy: ";
    if (policy.length() > MAX_BYTES) throw TopicErrors.invalidParameter(p + "Filter policy is too big");
    JsonObject json = JsonText.require("FilterPolicy", policy, prefix);
    if (json.isEmpty()) return;
    boolean body = MESSAGE_BODY.equals(scope);
    if (!body) {
      for (Map.Entry<String, Object> e : json) {
        if (e.getValue() instanceof JsonObject && !e.getKey().equals("$or")) {
          throw TopicErrors.invalidParameter(prefix + "Filter policy scope MessageAttributes does not support nested filter policy");
        }
      }
    }
    String problem = JsonRuleCompiler.check(policy);
    if (problem != null) throw TopicErrors.invalidParameter(p + problem);
    int keys = leafKeys(json);
    if (keys > MAX_KEYS) throw TopicErrors.invalidParameter(p + "Filter policy can not have more than " + MAX_KEYS + " keys");
    if (combinations(json) > MAX_COMBINATIONS) throw TopicErrors.invalidParameter(p + "Filter policy is too complex");
  }

  public static void validateScope(String scope, String prefix) {
    if (!MESSAGE_ATTRIBUTES.equals(scope) && !MESSAGE_BODY.equals(scope)) {
      throw TopicErrors.invalidParameter(prefix + "FilterPolicyScope: Invalid value [" + scope
          + "]. Please use either MessageBody or MessageAttributes");
    }
  }

  /** Whether the policy looks at the message's body (scope MessageBody) rather than its attributes. */
  public boolean bodyScope() {
    return bodyScope;
  }

  /** Whether a message passes: its attributes or its body, by the policy's scope. */
  public boolean matches(String body, JsonObject messageAttributes) {
    try {
      String event = bodyScope ? bodyEvent(body) : attributeEvent(messageAttributes);
      return event != null && !machine.rulesForJSONEvent(event).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static String bodyEvent(String body) {
    try {
      return ((JsonObject) fivePlaces(new JsonObject(body))).encode();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** The attributes as the JSON event SNS matches attribute policies against. */
  static String attributeEvent(JsonObject attributes) {
    JsonObject event = new JsonObject();
    if (attributes != null) {
      for (Map.Entry<String, Object> e : attributes) {
        if (!(e.getValue() instanceof JsonObject a)) continue;
        String type = a.getString("DataType", "");
        String value = a.getString("StringValue");
        if (value == null) continue;
        if (type.startsWith("Number")) {
          event.put(e.getKey(), number(value));
        } else if (type.startsWith("String.Array")) {
          event.put(e.getKey(), array(value));
        } else if (type.startsWith("String")) {
          event.put(e.getKey(), value);
        }
      }
    }
    return event.encode();
  }

  private static Object number(String value) {
    try {
      return fivePlaces(new BigDecimal(value.trim()));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /** A String.Array: its elements as they are (strings, numbers, booleans, null) for the policy to match. */
  private static Object array(String value) {
    try {
      return fivePlaces(new JsonArray(value));
    } catch (DecodeException | ClassCastException e) {
      return value;
    }
  }

  /**
   * Every number of a policy or an event at SNS's documented precision, five digits after the
   * decimal point (event-ruler alone compares six), so 1.000001 and 1.000002 are the same number
   * to a filter policy, as to SNS.
   */
  static Object fivePlaces(Object json) {
    if (json instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : o) out.put(e.getKey(), fivePlaces(e.getValue()));
      return out;
    }
    if (json instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object v : a) out.add(fivePlaces(v));
      return out;
    }
    if (json instanceof BigDecimal d) return d.setScale(PRECISION, RoundingMode.HALF_UP);
    if (json instanceof Number n) return new BigDecimal(n.toString()).setScale(PRECISION, RoundingMode.HALF_UP);
    return json;
  }

  private static int leafKeys(JsonObject json) {
    int n = 0;
    for (Map.Entry<String, Object> e : json) {
      if (e.getKey().equals("$or") && e.getValue() instanceof JsonArray alternatives) {
        int most = 0;
        for (Object alt : alternatives) if (alt instanceof JsonObject o) most = Math.max(most, leafKeys(o));
        n += most;
      } else if (e.getValue() instanceof JsonObject nested) {
        n += leafKeys(nested);
      } else {
        n++;
      }
    }
    return n;
  }

  /** The product of the number of values of every key, as SNS counts a policy's complexity. */
  private static long combinations(JsonObject json) {
    long product = 1;
    for (Map.Entry<String, Object> e : json) {
      if (e.getKey().equals("$or") && e.getValue() instanceof JsonArray alternatives) {
        long sum = 0;
        for (Object alt : alternatives) if (alt instanceof JsonObject o) sum += combinations(o);
        product *= Math.max(1, sum);
      } else if (e.getValue() instanceof JsonObject nested) {
        product *= combinations(nested);
      } else if (e.getValue() instanceof JsonArray values) {
        product *= Math.max(1, values.size());
      }
      if (product > Integer.MAX_VALUE) return product;
    }
    return product;
  }
}
