package io.eventplane.storage.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A bucket's NotificationConfiguration in its canonical JSON form (the shape of the API reference:
 * {@code QueueConfigurations}, {@code TopicConfigurations}, {@code LambdaFunctionConfigurations},
 * {@code EventBridgeConfiguration}), validated as S3 validates it and matched against events.
 */
public final class NotificationConfig {
  /** The event types S3 accepts in a configuration. */
  public static final Set<String> EVENTS = Set.of("s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*",
      "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
      "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*",
      "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
      "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
      "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold", "s3:ObjectTagging:*",
      "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*",
      "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition",
      "s3:IntelligentTiering");

  /** The notice kind of events for EventBridge (no list of targets: every event goes to the default bus). */
  public static final String EVENTBRIDGE = "EVENTBRIDGE";

  /** Whether a stored configuration (null for none) sends every event to EventBridge. */
  public static boolean toEventBridge(JsonObject config) {
    return config != null && config.getValue("EventBridgeConfiguration") != null;
  }

  /** The three kinds of destination: configuration list member, ARN member, service. */
  public enum Kind {
    QUEUE("QueueConfigurations", "QueueArn", "Queue", "sqs"),
    TOPIC("TopicConfigurations", "TopicArn", "Topic", "sns"),
    FUNCTION("LambdaFunctionConfigurations", "LambdaFunctionArn", "CloudFunction", "lambda");

    public final String listMember;
    public final String arnMember;
    /** The ARN's element in S3's XML, as S3 names it when the ARN does not parse. */
    final String xmlElement;
    /** The service an ARN of this kind names. */
    final String service;

    Kind(String listMember, String arnMember, String xmlElement, String service) {
      this.listMember = listMember;
      this.arnMember = arnMember;
      this.xmlElement = xmlElement;
      this.service = service;
    }

    /** Whether {@code arn} is an ARN of this kind's service with a region, an account and a resource. */
    boolean parses(String arn) {
      String[] p = arn.split(":", 6);
      if (p.length != 6 || !p[0].equals("arn") || !p[1].startsWith("aws") || !p[2].equals(service) || p[3].isEmpty()
          || p[4].isEmpty() || p[5].isEmpty()) {
        return false;
      }
      return this != FUNCTION || (p[5].startsWith("function:") && p[5].length() > "function:".length());
    }
  }

  /** One configuration: where matching events go. */
  public record Target(Kind kind, String id, String arn, List<String> events, String prefix, String suffix) {
    boolean matches(String eventName, String key) {
      if (prefix != null && !key.startsWith(prefix)) return false;
      if (suffix != null && !key.endsWith(suffix)) return false;
      for (String e : events) {
        if (e.equals(eventName) || (e.endsWith(":*") && eventName.startsWith(e.substring(0, e.length() - 1)))) return true;
      }
      return false;
    }
  }

  private NotificationConfig() {}

  /** The configuration's targets; InvalidArgument for what S3 refuses. Ids are made up where none is given. */
  public static List<Target> parse(JsonObject config) {
    List<Target> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      JsonArray list = config.getJsonArray(kind.listMember, new JsonArray());
      for (Object o : list) {
        if (!(o instanceof JsonObject c)) throw S3Errors.malformedXml();
        String arn = c.getString(kind.arnMember);
        if (arn == null || arn.isEmpty()) throw S3Errors.malformedXml();
        // Before any destination is looked at, and even when validation is skipped, as S3 does.
        if (!kind.parses(arn)) throw S3Errors.invalidArgument("The ARN could not be parsed", kind.xmlElement, arn);
        List<String> events = new ArrayList<>();
        for (Object e : c.getJsonArray("Events", new JsonArray())) {
          String event = String.valueOf(e);
          if (!EVENTS.contains(event)) {
            throw S3Errors.invalidArgument("The event is not supported for notifications", event, event);
          }
          events.add(event);
        }
        if (events.isEmpty()) throw S3Errors.malformedXml();
        String prefix = null;
        String suffix = null;
        JsonObject filter = c.getJsonObject("Filter");
        JsonArray rules = filter == null || filter.getJsonObject("Key") == null ? new JsonArray()
            : filter.getJsonObject("Key").getJsonArray("FilterRules", new JsonArray());
        for (Object r : rules) {
          JsonObject rule = (JsonObject) r;
          String name = String.valueOf(rule.getString("Name")).toLowerCase(Locale.ROOT);
          String value = rule.getString("Value", "");
          if (name.equals("prefix") && prefix == null) {
            prefix = value;
          } else if (name.equals("suffix") && suffix == null) {
            suffix = value;
          } else {
            throw S3Errors.invalidArgument(name.equals("prefix") || name.equals("suffix")
                ? "Cannot specify more than one " + name + " rule in a filter." : "filter rule name must be either prefix or suffix",
                "FilterRule", rule.getString("Name"));
          }
        }
        String id = c.getString("Id");
        out.add(new Target(kind, id == null || id.isEmpty() ? java.util.UUID.randomUUID().toString() : id, arn, events,
            prefix, suffix));
      }
    }
    refuseOverlaps(out);
    return out;
  }

  /** The configuration with made-up ids filled in, as GetBucketNotificationConfiguration returns it. */
  public static JsonObject canonical(JsonObject config, List<Target> targets) {
    JsonObject out = new JsonObject();
    for (Kind kind : Kind.values()) {
      JsonArray list = new JsonArray();
      for (Target t : targets) {
        if (t.kind() != kind) continue;
        JsonObject c = new JsonObject().put("Id", t.id()).put(kind.arnMember, t.arn()).put("Events", new JsonArray(t.events()));
        JsonArray rules = new JsonArray();
        if (t.prefix() != null) rules.add(new JsonObject().put("Name", "Prefix").put("Value", t.prefix()));
        if (t.suffix() != null) rules.add(new JsonObject().put("Name", "Suffix").put("Value", t.suffix()));
        if (!rules.isEmpty()) c.put("Filter", new JsonObject().put("Key", new JsonObject().put("FilterRules", rules)));
        list.add(c);
      }
      if (!list.isEmpty()) out.put(kind.listMember, list);
    }
    if (config.getValue("EventBridgeConfiguration") != null) out.put("EventBridgeConfiguration", new JsonObject());
    return out;
  }

  /** The targets an event of this name on this key goes to. */
  public static List<Target> matching(List<Target> targets, String eventName, String key) {
    List<Target> out = new ArrayList<>();
    for (Target t : targets) if (t.matches(eventName, key)) out.add(t);
    return out;
  }

  /**
   * S3 refuses two configurations that could both match one event: the same (or overlapping
   * wildcard) event type with prefixes that overlap and suffixes that overlap.
   */
  private static void refuseOverlaps(List<Target> targets) {
    for (int i = 0; i < targets.size(); i++) {
      for (int j = i + 1; j < targets.size(); j++) {
        Target a = targets.get(i);
        Target b = targets.get(j);
        if (!eventsOverlap(a.events(), b.events())) continue;
        if (overlap(a.prefix(), b.prefix(), true) && overlap(a.suffix(), b.suffix(), false)) {
          throw S3Errors.invalidArgument("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules "
              + "if the prefixes are overlapping for the same event type.", null, null);
        }
      }
    }
  }

  private static boolean eventsOverlap(List<String> a, List<String> b) {
    for (String x : a) {
      for (String y : b) {
        if (x.equals(y)) return true;
        if (x.endsWith(":*") && y.startsWith(x.substring(0, x.length() - 1))) return true;
        if (y.endsWith(":*") && x.startsWith(y.substring(0, y.length() - 1))) return true;
      }
    }
    return false;
  }

  private static boolean overlap(String a, String b, boolean prefix) {
    if (a == null || b == null || a.isEmpty() || b.isEmpty()) return true;
    return prefix ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a);
  }
}
