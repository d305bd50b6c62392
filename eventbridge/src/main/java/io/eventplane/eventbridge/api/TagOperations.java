package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.ResourceArn;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** TagResource, UntagResource, ListTagsForResource, for event buses and rules. */
final class TagOperations {
  private final Buses buses;
  private final Clock clock;

  TagOperations(Buses buses, Clock clock) {
    this.buses = buses;
    this.clock = clock;
  }

  /** The Tags member of a request ([{Key, Value}]), checked as the model says. */
  static Map<String, String> tags(JsonObject in, Validation v) {
    JsonArray list = v.array(in, "Tags", "tags");
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null) return out;
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject tag)) {
        throw EventsErrors.validation("1 validation error detected: Value at 'tags." + (i + 1) + ".member' failed to "
            + "satisfy constraint: Member must be a structure");
      }
      String key = v.string(tag, "Key", "tags." + (i + 1) + ".member.key");
      String value = v.string(tag, "Value", "tags." + (i + 1) + ".member.value");
      v.required(key, "tags." + (i + 1) + ".member.key");
      v.required(value, "tags." + (i + 1) + ".member.value");
      v.length(key, "tags." + (i + 1) + ".member.key", 1, 128);
      v.length(value, "tags." + (i + 1) + ".member.value", 0, 256);
      if (key != null && value != null) out.put(key, value);
    }
    v.check();
    return out;
  }

  Future<JsonObject> tag(ApiRequest request) {
    Validation v = new Validation();
    ResourceArn arn = resource(request.input(), v);
    Map<String, String> added = tags(request.input(), v);
    v.required(request.input().getValue("Tags"), "tags");
    v.check();
    return change(arn, current -> {
      Map<String, String> next = new LinkedHashMap<>(current);
      next.putAll(added);
      return next;
    });
  }

  Future<JsonObject> untag(ApiRequest request) {
    Validation v = new Validation();
    ResourceArn arn = resource(request.input(), v);
    JsonArray keys = v.array(request.input(), "TagKeys", "tagKeys");
    v.required(keys, "tagKeys");
    v.check();
    return change(arn, current -> {
      Map<String, String> next = new LinkedHashMap<>(current);
      for (Object k : keys) next.remove(String.valueOf(k));
      return next;
    });
  }

  Future<JsonObject> list(ApiRequest request) {
    Validation v = new Validation();
    ResourceArn arn = resource(request.input(), v);
    v.check();
    if (arn.isRule()) return Future.succeededFuture(new JsonObject().put("Tags", Wire.tags(requireRule(arn).tags())));
    return buses.materialise(arn.bus(), clock.millis()).map(bus -> new JsonObject().put("Tags", Wire.tags(bus.tags())));
  }

  private Future<JsonObject> change(ResourceArn arn, java.util.function.UnaryOperator<Map<String, String>> edit) {
    Batch b = buses.store().batch();
    if (arn.isRule()) {
      Rule rule = requireRule(arn);
      Rule changed = rule.withTags(edit.apply(rule.tags()));
      buses.store().putRule(b, changed);
      buses.putRule(changed);
      return buses.commit(arn.bus().partition(), b).map(x -> new JsonObject());
    }
    return buses.materialise(arn.bus(), clock.millis()).compose(bus -> {
      EventBus changed = bus.withTags(edit.apply(bus.tags()));
      buses.store().putBus(b, changed);
      buses.put(changed);
      return buses.commit(arn.bus().partition(), b).map(x -> new JsonObject());
    });
  }

  private Rule requireRule(ResourceArn arn) {
    buses.require(arn.bus());
    Rule rule = buses.rule(arn.bus(), arn.rule());
    if (rule == null) throw EventsErrors.ruleNotFound(arn.rule(), arn.bus().name());
    return rule;
  }

  private static ResourceArn resource(JsonObject in, Validation v) {
    String arn = v.string(in, "ResourceARN", "resourceARN");
    v.required(arn, "resourceARN");
    v.length(arn, "resourceARN", 1, 1600);
    v.check();
    ResourceArn parsed = ResourceArn.parse(arn);
    if (parsed == null) throw EventsErrors.validation("Provided Arn is not in correct format.");
    return parsed;
  }
}
