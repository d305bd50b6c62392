package io.eventplane.eventbridge.api;

import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** How buses, rules, tags, times and pages look in EventBridge's answers. */
final class Wire {
  private Wire() {}

  /** A JSON 1.1 timestamp: epoch seconds with milliseconds as a fraction. */
  static BigDecimal time(long millis) {
    return BigDecimal.valueOf(millis).movePointLeft(3);
  }

  /** A bus as ListEventBuses and DescribeEventBus show it. */
  static JsonObject bus(EventBus bus) {
    JsonObject out = new JsonObject().put("Name", bus.name()).put("Arn", bus.arn());
    if (bus.description() != null) out.put("Description", bus.description());
    if (bus.policy() != null) out.put("Policy", bus.policy());
    return out.put("CreationTime", time(bus.createdAt())).put("LastModifiedTime", time(bus.modifiedAt()));
  }

  /** A rule as ListRules shows it; DescribeRule adds CreatedBy. */
  static JsonObject rule(Rule r) {
    JsonObject out = new JsonObject().put("Name", r.name()).put("Arn", r.arn());
    if (r.eventPattern() != null) out.put("EventPattern", r.eventPattern());
    if (r.scheduleExpression() != null) out.put("ScheduleExpression", r.scheduleExpression());
    out.put("State", r.state());
    if (r.description() != null) out.put("Description", r.description());
    if (r.roleArn() != null) out.put("RoleArn", r.roleArn());
    return out.put("EventBusName", r.bus().name());
  }

  static JsonArray tags(Map<String, String> tags) {
    JsonArray out = new JsonArray();
    new java.util.TreeMap<>(tags).forEach((k, v) -> out.add(new JsonObject().put("Key", k).put("Value", v)));
    return out;
  }

  /** The opaque NextToken of a listing: the key of the last item of the previous page. */
  static String token(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key a NextToken continues after, or null without one; a token we did not make is refused as AWS refuses it. */
  static String after(String token) {
    if (token == null) return null;
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw EventsErrors.validation("The NextToken provided is invalid.");
    }
  }

  /** One page of {@code items} (sorted by {@code key}) after {@code after}, with a NextToken when more remain. */
  static <T> JsonObject page(List<T> items, Function<T, String> key, Function<T, Object> render, String member,
      String after, int limit) {
    JsonArray out = new JsonArray();
    String last = null;
    boolean more = false;
    for (T item : items) {
      String k = key.apply(item);
      if (after != null && k.compareTo(after) <= 0) continue;
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(render.apply(item));
      last = k;
    }
    JsonObject page = new JsonObject().put(member, out);
    if (more) page.put("NextToken", token(last));
    return page;
  }
}
