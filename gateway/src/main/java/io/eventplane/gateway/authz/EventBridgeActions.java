package io.eventplane.gateway.authz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * "Actions, resources, and condition keys for Amazon EventBridge": event buses
 * ({@code arn:aws:events:region:account:event-bus/name}, {@code default} when unnamed), rules
 * ({@code rule/name} on the default bus, {@code rule/bus/name} on another), archives, replays,
 * connections and API destinations. PutEvents needs events:PutEvents on each entry's bus, with the
 * entry's events:source and events:detail-type; StartReplay needs it on the replay, the archive and
 * the destination bus, CreateArchive on the archive and the source bus, CreateApiDestination on the
 * destination and its connection.
 */
final class EventBridgeActions {
  private EventBridgeActions() {}

  static final ServiceActions TABLE = ActionTable.builder("events")
      .same((c, a) -> bus(c.string("Name"), a), "CreateEventBus", "DescribeEventBus", "DeleteEventBus", "UpdateEventBus")
      .same(EventBridgeActions::rule, "PutRule", "DescribeRule", "DeleteRule", "EnableRule", "DisableRule",
          "ListTargetsByRule")
      .same((c, a) -> rule(c.string("Rule"), c.string("EventBusName"), a), "PutTargets", "RemoveTargets")
      .same((c, a) -> c.string("ResourceARN") != null ? c.string("ResourceARN") : a.of("events", "*"), "TagResource",
          "UntagResource", "ListTagsForResource")
      .rule("CreateArchive", (c, a) -> {
        List<Target> targets = new ArrayList<>(2);
        targets.add(Target.of("events:CreateArchive", a.named("events", "archive", c.string("ArchiveName"))));
        if (c.string("EventSourceArn") != null) targets.add(Target.of("events:CreateArchive", c.string("EventSourceArn")));
        return targets;
      })
      .same((c, a) -> a.named("events", "archive", c.string("ArchiveName")), "DescribeArchive", "UpdateArchive",
          "DeleteArchive")
      .rule("StartReplay", (c, a) -> {
        List<Target> targets = new ArrayList<>(2);
        targets.add(Target.of("events:StartReplay", a.named("events", "replay", c.string("ReplayName"))));
        if (c.string("EventSourceArn") != null) targets.add(Target.of("events:StartReplay", c.string("EventSourceArn")));
        if (c.input().getValue("Destination") instanceof JsonObject d && d.getValue("Arn") instanceof String bus) {
          targets.add(Target.of("events:StartReplay", bus));
        }
        return targets;
      })
      .same((c, a) -> a.named("events", "replay", c.string("ReplayName")), "DescribeReplay", "CancelReplay")
      .same((c, a) -> a.named("events", "connection", c.string("Name")), "CreateConnection", "DescribeConnection",
          "UpdateConnection", "DeleteConnection", "DeauthorizeConnection")
      .same((c, a) -> a.named("events", "api-destination", c.string("Name")), "DescribeApiDestination",
          "DeleteApiDestination")
      .rule("CreateApiDestination", (c, a) -> apiDestination("events:CreateApiDestination", c, a))
      .same((c, a) -> a.named("events", "api-destination", c.string("Name")), "UpdateApiDestination")
      .anyResource("PutPermission", "RemovePermission", "ListEventBuses", "ListRules", "ListRuleNamesByTarget", "TestEventPattern", "ListArchives",
          "ListReplays", "ListConnections", "ListApiDestinations")
      .rule("PutEvents", EventBridgeActions::putEvents)
      .build();

  /** CreateApiDestination on the destination and on the connection it names (ConnectionArn). */
  private static List<Target> apiDestination(String action, ApiCall c, Arns a) {
    Target own = Target.of(action, a.named("events", "api-destination", c.string("Name")));
    String connection = c.string("ConnectionArn");
    return connection == null ? List.of(own) : List.of(own, Target.of(action, connection));
  }

  /** A bus's ARN from its name or ARN; the default bus when unnamed. */
  static String bus(String nameOrArn, Arns a) {
    return a.named("events", "event-bus", nameOrArn != null ? nameOrArn : "default");
  }

  private static String rule(ApiCall c, Arns a) {
    return rule(c.string("Name"), c.string("EventBusName"), a);
  }

  /** {@code rule/name} on the default bus, {@code rule/bus/name} on a custom one. */
  static String rule(String name, String busNameOrArn, Arns a) {
    if (name != null && name.startsWith("arn:")) return name;
    String bus = busNameOrArn;
    Arns owner = a;
    if (bus != null && bus.startsWith("arn:")) {
      String account = Arns.accountOf(bus);
      if (account != null) owner = new Arns(a.region(), account);
      bus = bus.substring(bus.indexOf("event-bus/") + "event-bus/".length());
    }
    String rule = name != null ? name : "*";
    return owner.of("events", bus == null || bus.equals("default") ? "rule/" + rule : "rule/" + bus + "/" + rule);
  }

  /** One target per distinct (bus, source, detail-type) of the entries. */
  private static List<Target> putEvents(ApiCall c, Arns a) {
    List<Target> targets = new ArrayList<>();
    if (c.input().getValue("Entries") instanceof JsonArray entries) {
      for (Object o : entries) {
        if (!(o instanceof JsonObject e)) continue;
        Target t = Target.of("events:PutEvents", bus(e.getValue("EventBusName") instanceof String s && !s.isEmpty() ? s : null, a))
            .with("events:source", e.getValue("Source") instanceof String s ? s : null)
            .with("events:detail-type", e.getValue("DetailType") instanceof String d ? d : null);
        if (!targets.contains(t)) targets.add(t);
      }
    }
    if (targets.isEmpty()) targets.add(Target.of("events:PutEvents", bus(null, a)));
    return targets;
  }
}
