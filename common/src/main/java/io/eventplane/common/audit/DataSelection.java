package io.eventplane.common.audit;

import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which data events the logging trails of one account and region may take, as the gateway needs it to
 * decide, before building a data call's record, whether the record can be wanted at all. Computed by
 * the CloudTrail lane that owns the account's and region's trails from their event selectors, sent to
 * the gateways on {@link #GET} and announced as changed on {@code Contracts.CLOUDTRAIL_SELECTION}.
 *
 * <p>It is a cut, not the decision: each rule keeps only those conditions of a selector that are cheap
 * to test here (resource types, ARN prefixes, read or write), so it takes every record the exact
 * selectors take and possibly more; the lane still applies the exact selectors to what it receives.
 * No rule (no logging trail selects data events) takes nothing.
 */
public record DataSelection(List<Rule> rules) {
  /** The internal CloudTrail operation that answers an account's and region's selection: {@code {"Selection": [...]}}. */
  public static final String GET = "eventplane:GetDataSelection";
  /** Nothing selected. */
  public static final DataSelection NONE = new DataSelection(List.of());

  /**
   * One way data events are selected.
   *
   * @param types the resource types of which a record must name one, or null for any
   * @param arnPrefixes prefixes of which one must start an ARN the record names, or null for any
   * @param reads whether read-only calls are taken
   * @param writes whether calls that write are taken
   */
  public record Rule(Set<String> types, List<String> arnPrefixes, boolean reads, boolean writes) {
    public Rule {
      types = types == null ? null : Set.copyOf(types);
      arnPrefixes = arnPrefixes == null ? null : List.copyOf(arnPrefixes);
    }

    boolean takes(boolean readOnly, JsonArray resources) {
      if (readOnly ? !reads : !writes) return false;
      if (types != null && !anyNamed(resources, "type", types::contains)) return false;
      return arnPrefixes == null || anyNamed(resources, "ARN", arn -> arnPrefixes.stream().anyMatch(arn::startsWith));
    }

    /** Whether one of the resources has a {@code field} the test accepts. */
    private static boolean anyNamed(JsonArray resources, String field, Predicate<String> test) {
      for (Object o : resources) {
        if (o instanceof JsonObject r && r.getString(field) != null && test.test(r.getString(field))) return true;
      }
      return false;
    }

    JsonObject toJson() {
      JsonObject out = new JsonObject().put("Reads", reads).put("Writes", writes);
      if (types != null) out.put("Types", new JsonArray(types.stream().sorted().toList()));
      if (arnPrefixes != null) out.put("ArnPrefixes", new JsonArray(arnPrefixes));
      return out;
    }

    static Rule fromJson(JsonObject j) {
      JsonArray types = j.getJsonArray("Types");
      JsonArray prefixes = j.getJsonArray("ArnPrefixes");
      return new Rule(types == null ? null : Set.copyOf(strings(types)), prefixes == null ? null : strings(prefixes),
          j.getBoolean("Reads", true), j.getBoolean("Writes", true));
    }
  }

  public DataSelection {
    rules = List.copyOf(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Whether a data call's record may be taken by a logging trail. The resources the record would name
   * are worked out only when some rule exists (string work on the input, no record is built).
   */
  public boolean takes(EventClass kind, JsonObject input, RequestContext context) {
    if (rules.isEmpty()) return false;
    JsonArray resources = ApiCallRecord.dataResources(kind, input, context);
    for (Rule r : rules) if (r.takes(kind.readOnly(), resources)) return true;
    return false;
  }

  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (Rule r : rules) out.add(r.toJson());
    return out;
  }

  public static DataSelection fromJson(JsonArray rules) {
    if (rules == null || rules.isEmpty()) return NONE;
    List<Rule> out = new ArrayList<>();
    for (Object o : rules) if (o instanceof JsonObject j) out.add(Rule.fromJson(j));
    return new DataSelection(out);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (Object o : a) out.add(String.valueOf(o));
    return out;
  }
}
