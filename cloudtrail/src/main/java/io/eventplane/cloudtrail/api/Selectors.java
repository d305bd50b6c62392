package io.eventplane.cloudtrail.api;

import io.eventplane.common.audit.DataSelection;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A trail's event selectors, basic or advanced, as the CloudTrail API reference describes
 * PutEventSelectors: checked when put (InvalidEventSelectorsException), and matched against records
 * (which records a trail's log files and data events take).
 */
public final class Selectors {
  /** What a trail selects until selectors are put: every management event, no data event. */
  public static final JsonArray DEFAULT = new JsonArray().add(new JsonObject().put("ReadWriteType", "All")
      .put("IncludeManagementEvents", true).put("DataResources", new JsonArray()).put("ExcludeManagementEventSources", new JsonArray()));
  private static final Set<String> READ_WRITE = Set.of("ReadOnly", "WriteOnly", "All");
  private static final Set<String> BASIC_TYPES = Set.of("AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table");
  private static final Set<String> FIELDS = Set.of("eventCategory", "eventSource", "eventName", "eventType", "readOnly",
      "resources.type", "resources.ARN", "errorCode", "userIdentity.arn", "sessionCredentialFromConsole", "vpcEndpointId",
      "eventTypeName");
  private static final Set<String> OPERATORS = Set.of("Equals", "StartsWith", "EndsWith", "NotEquals", "NotStartsWith",
      "NotEndsWith");

  private Selectors() {}

  static void check(JsonArray basic, JsonArray advanced) {
    if ((basic == null) == (advanced == null)) {
      throw invalid("Specify either EventSelectors or AdvancedEventSelectors, but not both.");
    }
    if (basic != null) {
      if (basic.isEmpty() || basic.size() > 5) throw invalid("The number of event selectors must be between 1 and 5.");
      int values = 0;
      for (Object o : basic) {
        JsonObject s = (JsonObject) o;
        String rw = s.getString("ReadWriteType", "All");
        if (!READ_WRITE.contains(rw)) throw invalid("Value " + rw + " for ReadWriteType is invalid.");
        for (Object d : s.getJsonArray("DataResources", new JsonArray())) {
          JsonObject r = (JsonObject) d;
          String type = r.getString("Type");
          if (type == null || !BASIC_TYPES.contains(type)) throw invalid("Value " + type + " for DataResources.Type is invalid.");
          JsonArray v = r.getJsonArray("Values", new JsonArray());
          if (v.isEmpty()) throw invalid("Values of DataResources must not be empty.");
          for (Object x : v) {
            String value = String.valueOf(x);
            if (!value.startsWith("arn:")) throw invalid("Value " + value + " for DataResources.Values is invalid.");
          }
          values += v.size();
        }
      }
      if (values > 250) throw invalid("The number of data resource values exceeds the limit of 250.");
    } else {
      if (advanced.isEmpty() || advanced.size() > 500) throw invalid("The number of advanced event selectors must be between 1 and 500.");
      for (Object o : advanced) {
        JsonObject s = (JsonObject) o;
        JsonArray fields = s.getJsonArray("FieldSelectors");
        if (fields == null || fields.isEmpty()) throw invalid("Each advanced event selector needs FieldSelectors.");
        boolean category = false;
        for (Object f : fields) {
          JsonObject field = (JsonObject) f;
          String name = field.getString("Field");
          if (name == null || !FIELDS.contains(name)) throw invalid("Field " + name + " is not valid.");
          boolean any = false;
          for (String op : OPERATORS) {
            JsonArray values = field.getJsonArray(op);
            if (values == null) continue;
            if (values.isEmpty()) throw invalid("Field " + name + " " + op + " needs at least one value.");
            any = true;
          }
          if (!any) throw invalid("Field " + name + " needs an operator.");
          if (name.equals("eventCategory")) {
            category = true;
            JsonArray eq = field.getJsonArray("Equals");
            if (eq == null) throw invalid("Field eventCategory takes only the Equals operator.");
            for (Object c : eq) {
              if (!Set.of("Management", "Data", "NetworkActivity").contains(String.valueOf(c))) {
                throw invalid("Value " + c + " for eventCategory is invalid.");
              }
            }
          }
        }
        if (!category) throw invalid("Each advanced event selector must have a FieldSelector with Field eventCategory.");
      }
    }
  }

  /** Basic selectors as stored and answered: ReadWriteType, IncludeManagementEvents and the lists filled in. */
  static JsonArray withDefaults(JsonArray basic) {
    JsonArray out = new JsonArray();
    for (Object o : basic) {
      JsonObject s = (JsonObject) o;
      out.add(new JsonObject().put("ReadWriteType", s.getString("ReadWriteType", "All"))
          .put("IncludeManagementEvents", s.getBoolean("IncludeManagementEvents", true))
          .put("DataResources", s.getJsonArray("DataResources", new JsonArray()))
          .put("ExcludeManagementEventSources", s.getJsonArray("ExcludeManagementEventSources", new JsonArray())));
    }
    return out;
  }

  /** Whether a trail takes a record (its log files; for a data record, whether it is recorded at all). */
  public static boolean selects(JsonObject trail, JsonObject record) {
    JsonArray advanced = trail.getJsonArray("AdvancedEventSelectors");
    if (advanced != null) {
      for (Object o : advanced) if (advancedMatch((JsonObject) o, record)) return true;
      return false;
    }
    for (Object o : trail.getJsonArray("EventSelectors", DEFAULT)) if (basicMatch((JsonObject) o, record)) return true;
    return false;
  }

  /**
   * The data events these (logging) trails may take, as the gateways' cut: per selector, only the
   * conditions cheap to test before a record exists (resource types, ARN prefixes, read or write), so
   * the cut takes every record {@link #selects} takes. A selector that takes no data event adds no rule.
   */
  public static DataSelection dataSelection(List<JsonObject> trails) {
    List<DataSelection.Rule> rules = new ArrayList<>();
    for (JsonObject trail : trails) {
      JsonArray advanced = trail.getJsonArray("AdvancedEventSelectors");
      if (advanced != null) {
        for (Object o : advanced) {
          DataSelection.Rule r = advancedRule((JsonObject) o);
          if (r != null && !rules.contains(r)) rules.add(r);
        }
        continue;
      }
      for (Object o : trail.getJsonArray("EventSelectors", DEFAULT)) {
        JsonObject s = (JsonObject) o;
        String rw = s.getString("ReadWriteType", "All");
        for (Object d : s.getJsonArray("DataResources", new JsonArray())) {
          JsonObject r = (JsonObject) d;
          List<String> prefixes = new ArrayList<>();
          r.getJsonArray("Values", new JsonArray()).forEach(v -> prefixes.add(String.valueOf(v)));
          DataSelection.Rule rule = new DataSelection.Rule(Set.of(r.getString("Type")), prefixes, !rw.equals("WriteOnly"),
              !rw.equals("ReadOnly"));
          if (!rules.contains(rule)) rules.add(rule);
        }
      }
    }
    return rules.isEmpty() ? DataSelection.NONE : new DataSelection(rules);
  }

  /**
   * An advanced selector's cut, or null when it takes no data event. Every condition kept is one the
   * selector's fields require (an Equals is also a prefix), so dropping the others only widens it.
   */
  private static DataSelection.Rule advancedRule(JsonObject selector) {
    Set<String> types = null;
    List<String> prefixes = null;
    boolean reads = true;
    boolean writes = true;
    boolean data = false;
    for (Object f : selector.getJsonArray("FieldSelectors", new JsonArray())) {
      JsonObject field = (JsonObject) f;
      JsonArray equals = field.getJsonArray("Equals");
      switch (String.valueOf(field.getString("Field"))) {
        case "eventCategory" -> data = equals != null && equals.contains("Data");
        case "resources.type" -> {
          if (equals != null && types == null) types = Set.copyOf(stringsOf(equals));
        }
        case "resources.ARN" -> {
          JsonArray starts = field.getJsonArray("StartsWith");
          if ((equals != null || starts != null) && prefixes == null) {
            prefixes = new ArrayList<>();
            if (equals != null) prefixes.addAll(stringsOf(equals));
            if (starts != null) prefixes.addAll(stringsOf(starts));
          }
        }
        case "readOnly" -> {
          if (equals != null) {
            reads = equals.contains("true");
            writes = equals.contains("false");
          }
        }
        default -> { }
      }
    }
    return data ? new DataSelection.Rule(types, prefixes, reads, writes) : null;
  }

  private static List<String> stringsOf(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (Object o : a) out.add(String.valueOf(o));
    return out;
  }

  private static boolean basicMatch(JsonObject s, JsonObject record) {
    boolean readOnly = record.getBoolean("readOnly", false);
    String rw = s.getString("ReadWriteType", "All");
    if (rw.equals("ReadOnly") && !readOnly || rw.equals("WriteOnly") && readOnly) return false;
    if (record.getBoolean("managementEvent", true)) {
      return s.getBoolean("IncludeManagementEvents", true)
          && !s.getJsonArray("ExcludeManagementEventSources", new JsonArray()).contains(record.getString("eventSource"));
    }
    for (Object d : s.getJsonArray("DataResources", new JsonArray())) {
      JsonObject r = (JsonObject) d;
      for (JsonObject res : resources(record)) {
        if (!r.getString("Type").equals(res.getString("type"))) continue;
        for (Object v : r.getJsonArray("Values", new JsonArray())) {
          if (res.getString("ARN", "").startsWith(String.valueOf(v))) return true;
        }
      }
    }
    return false;
  }

  private static boolean advancedMatch(JsonObject s, JsonObject record) {
    for (Object f : s.getJsonArray("FieldSelectors", new JsonArray())) {
      JsonObject field = (JsonObject) f;
      if (!fieldMatch(field, values(field.getString("Field"), record))) return false;
    }
    return true;
  }

  private static List<String> values(String field, JsonObject record) {
    List<String> out = new ArrayList<>();
    switch (field) {
      case "eventCategory", "eventSource", "eventName", "eventType", "errorCode" -> {
        if (record.getValue(field) != null) out.add(String.valueOf(record.getValue(field)));
      }
      case "readOnly" -> out.add(String.valueOf(record.getBoolean("readOnly", false)));
      case "resources.type" -> resources(record).forEach(r -> out.add(r.getString("type")));
      case "resources.ARN" -> resources(record).forEach(r -> out.add(r.getString("ARN")));
      case "userIdentity.arn" -> out.add(record.getJsonObject("userIdentity", new JsonObject()).getString("arn"));
      default -> { }
    }
    return out;
  }

  private static boolean fieldMatch(JsonObject field, List<String> values) {
    for (String op : OPERATORS) {
      JsonArray wanted = field.getJsonArray(op);
      if (wanted == null) continue;
      boolean hit = false;
      for (String v : values) {
        if (v == null) continue;
        for (Object w : wanted) {
          String x = String.valueOf(w);
          boolean m = switch (op) {
            case "Equals", "NotEquals" -> v.equals(x);
            case "StartsWith", "NotStartsWith" -> v.startsWith(x);
            default -> v.endsWith(x);
          };
          hit |= m;
        }
      }
      if (op.startsWith("Not") ? hit : !hit) return false;
    }
    return true;
  }

  private static List<JsonObject> resources(JsonObject record) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : record.getJsonArray("resources", new JsonArray())) if (o instanceof JsonObject r) out.add(r);
    return out;
  }

  static String isoTime(long millis) {
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ServiceException invalid(String message) {
    return new ServiceException(ServiceError.sender("InvalidEventSelectorsException", message));
  }
}
