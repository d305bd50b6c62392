package io.eventplane.eventbridge.api;

import io.eventplane.eventbridge.schedule.ScheduleExpression;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.delivery.ScheduledRules;
import io.eventplane.eventbridge.domain.BusMatcher;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.eventbridge.domain.EventPatterns;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, ListRuleNamesByTarget and
 * TestEventPattern. A rule lives in its bus's partition, so each runs where its bus is.
 */
final class RuleOperations {
  private static final List<String> EVENT_FIELDS = List.of("id", "account", "source", "time", "region", "resources", "detail-type");

  private final Buses buses;
  private final ScheduledRules schedules;
  private final Clock clock;
  private final int maxRules;

  RuleOperations(Buses buses, ScheduledRules schedules, Clock clock, int maxRules) {
    this.buses = buses;
    this.schedules = schedules;
    this.clock = clock;
    this.maxRules = maxRules;
  }

  /**
   * Creates or replaces a rule. A replaced rule keeps its targets and tags (AWS ignores Tags on an
   * update) but nothing else it had: members left out of the call are gone, as PutRule documents.
   */
  /** Refuses a new rule on a bus that has {@code maxRules} already (AWS's "Number of rules" quota, per bus). */
  private void checkRoom(BusRef bus, String name) {
    if (buses.rule(bus, name) == null && EventBridgeLimits.full(buses.rules(bus).size(), maxRules)) {
      throw EventsErrors.limitExceeded();
    }
  }

  Future<JsonObject> put(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String busName = v.string(in, "EventBusName", "eventBusName");
    String pattern = v.string(in, "EventPattern", "eventPattern");
    String schedule = v.string(in, "ScheduleExpression", "scheduleExpression");
    String state = v.string(in, "State", "state");
    String description = v.string(in, "Description", "description");
    String roleArn = v.string(in, "RoleArn", "roleArn");
    v.required(name, "name");
    v.name(name, "name");
    v.length(schedule, "scheduleExpression", 0, 256);
    v.length(pattern, "eventPattern", 0, 4096);
    v.oneOf(state, "state", Rule.STATES);
    v.length(description, "description", 0, 512);
    v.length(roleArn, "roleArn", 1, 1600);
    v.busNameOrArn(busName, "eventBusName");
    v.check();
    Map<String, String> tags = TagOperations.tags(in, v);
    if (pattern == null && schedule == null) {
      throw EventsErrors.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }
    if (pattern != null) EventPatterns.validate(pattern);
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    if (schedule != null && !bus.isDefault()) {
      throw EventsErrors.validation("ScheduleExpression is supported only on the default event bus.");
    }
    if (schedule != null) ScheduleExpression.parse(schedule);
    return buses.materialise(bus, clock.millis()).compose(b -> {
      checkRoom(bus, name);
      Rule old = buses.rule(bus, name);
      Rule rule = new Rule(bus, name, pattern, schedule, state == null ? Rule.ENABLED : state, description, roleArn,
          old == null ? request.context().accountId() : old.createdBy(), old == null ? tags : old.tags(),
          old == null ? Map.of() : old.targets());
      return save(old, rule).map(x -> new JsonObject().put("RuleArn", rule.arn()));
    });
  }

  Future<JsonObject> describe(ApiRequest request) {
    Rule rule = require(request);
    JsonObject out = Wire.rule(rule);
    return Future.succeededFuture(out.put("CreatedBy", rule.createdBy()));
  }

  Future<JsonObject> list(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String prefix = v.string(in, "NamePrefix", "namePrefix");
    String busName = v.string(in, "EventBusName", "eventBusName");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.name(prefix, "namePrefix");
    v.busNameOrArn(busName, "eventBusName");
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    return buses.materialise(bus, clock.millis()).map(b -> {
      List<Rule> rules = new ArrayList<>();
      for (Rule r : buses.rules(bus).values()) if (prefix == null || r.name().startsWith(prefix)) rules.add(r);
      return Wire.page(rules, Rule::name, Wire::rule, "Rules", Wire.after(token), limit == null ? 100 : limit);
    });
  }

  /** Deleting a rule that does not exist succeeds; one that still has targets is refused, as AWS refuses it. */
  Future<JsonObject> delete(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String busName = v.string(in, "EventBusName", "eventBusName");
    v.required(name, "name");
    v.name(name, "name");
    v.busNameOrArn(busName, "eventBusName");
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    return buses.materialise(bus, clock.millis()).compose(b -> {
      Rule rule = buses.rule(bus, name);
      if (rule == null) return Future.succeededFuture(new JsonObject());
      if (!rule.targets().isEmpty()) throw EventsErrors.validation("Rule can't be deleted since it has targets.");
      Batch batch = buses.store().batch();
      buses.store().deleteRule(batch, bus, name);
      schedules.ruleDeleted(batch, rule);
      buses.removeRule(rule);
      return buses.commit(bus.partition(), batch).map(x -> new JsonObject());
    });
  }

  Future<JsonObject> setState(ApiRequest request, String state) {
    Rule rule = require(request);
    if (rule.state().equals(state)) return Future.succeededFuture(new JsonObject());
    return save(rule, rule.withState(state)).map(x -> new JsonObject());
  }

  Future<JsonObject> namesByTarget(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String targetArn = v.string(in, "TargetArn", "targetArn");
    String busName = v.string(in, "EventBusName", "eventBusName");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.required(targetArn, "targetArn");
    v.length(targetArn, "targetArn", 1, 1600);
    v.busNameOrArn(busName, "eventBusName");
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    return buses.materialise(bus, clock.millis()).map(b -> {
      List<String> names = new ArrayList<>();
      for (Rule r : buses.rules(bus).values()) {
        if (r.targets().values().stream().anyMatch(t -> t.arn().equals(targetArn))) names.add(r.name());
      }
      return Wire.page(names, n -> n, n -> n, "RuleNames", Wire.after(token), limit == null ? 100 : limit);
    });
  }

  /** TestEventPattern: the pattern must compile and the event carry the fields the API reference calls mandatory. */
  static JsonObject test(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String pattern = v.string(in, "EventPattern", "eventPattern");
    String event = v.string(in, "Event", "event");
    v.required(pattern, "eventPattern");
    v.required(event, "event");
    v.length(pattern, "eventPattern", 0, 4096);
    v.check();
    EventPatterns.validate(pattern);
    JsonObject parsed;
    try {
      parsed = new JsonObject(event);
    } catch (DecodeException | ClassCastException e) {
      throw EventsErrors.validation("Parameter Event is not valid.");
    }
    for (String field : EVENT_FIELDS) {
      if (!parsed.containsKey(field)) throw EventsErrors.validation("Parameter Event is not valid.");
    }
    if (parsed.containsKey("resources") && !(parsed.getValue("resources") instanceof JsonArray)) {
      throw EventsErrors.validation("Parameter Event is not valid.");
    }
    return new JsonObject().put("Result", BusMatcher.test(pattern, event));
  }

  /** The rule a Name and EventBusName name, or ResourceNotFoundException. */
  Rule require(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String busName = v.string(in, "EventBusName", "eventBusName");
    v.required(name, "name");
    v.name(name, "name");
    v.busNameOrArn(busName, "eventBusName");
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    return requireRule(bus, name);
  }

  Rule requireRule(BusRef bus, String name) {
    Rule rule = buses.rule(bus, name);
    if (rule == null) {
      if (!bus.isDefault()) buses.require(bus);
      throw EventsErrors.ruleNotFound(name, bus.name());
    }
    return rule;
  }

  /** Writes the rule, and what the change does to its schedule, in one batch. */
  private Future<Void> save(Rule old, Rule rule) {
    Batch b = buses.store().batch();
    buses.store().putRule(b, rule);
    schedules.ruleChanged(b, old, rule);
    buses.putRule(rule);
    return buses.commit(rule.bus().partition(), b);
  }
}
