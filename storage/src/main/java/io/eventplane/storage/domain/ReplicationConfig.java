package io.eventplane.storage.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A bucket's replication configuration, checked as S3 checks it when it is saved (structure,
 * at most 1,000 rules, unique priorities among filtered rules) and matched against each new
 * object. Which destinations exist and keep versions is the caller's to check: it needs other
 * buckets, perhaps on other nodes.
 *
 * @param source the JSON as saved (canonical API shape, IDs filled in), returned by GetBucketReplication
 */
public record ReplicationConfig(String role, List<Rule> rules, JsonObject source) {
  public static final int MAX_RULES = 1000;
  /** Where {@link Bucket#configurations()} keeps it. */
  public static final String CONFIGURATION = "replication";
  private static final String ARN_PREFIX = "arn:aws:s3:::";

  public ReplicationConfig {
    Objects.requireNonNull(role, "role");
    rules = List.copyOf(rules);
  }

  /**
   * One rule. A rule with a {@code Filter} is of the second schema version (priority and
   * DeleteMarkerReplication required); one with a bare {@code Prefix} is of the first.
   *
   * @param prefix the key prefix the rule covers ("" for every key)
   * @param tags tags an object must carry, all of them
   * @param destination the destination bucket's name (not its ARN)
   * @param storageClass the replica's storage class, or null for the source object's
   * @param deleteMarkers whether the delete markers users create are replicated: DeleteMarkerReplication
   *     Enabled in a second-schema rule; always in a first-schema one, which S3 treats that way
   */
  public record Rule(String id, int priority, boolean enabled, String prefix, Map<String, String> tags, String destination,
      String storageClass, boolean filtered, boolean deleteMarkers) {
    public Rule {
      tags = Map.copyOf(tags);
    }

    public boolean matches(String key, Map<String, String> objectTags) {
      if (!enabled || !key.startsWith(prefix)) return false;
      for (Map.Entry<String, String> t : tags.entrySet()) {
        if (!t.getValue().equals(objectTags.get(t.getKey()))) return false;
      }
      return true;
    }

    public String destinationArn() {
      return ARN_PREFIX + destination;
    }
  }

  /**
   * The rule that replicates the object to each destination: of the enabled rules matching it,
   * the one with the highest priority per destination bucket, as S3 chooses.
   */
  public List<Rule> matching(String key, Map<String, String> objectTags) {
    Map<String, Rule> byDestination = new LinkedHashMap<>();
    for (Rule r : rules) {
      if (!r.matches(key, objectTags)) continue;
      Rule best = byDestination.get(r.destination());
      if (best == null || r.priority() > best.priority()) byDestination.put(r.destination(), r);
    }
    return new ArrayList<>(byDestination.values());
  }

  /**
   * The rules that replicate a delete marker of the key: per destination the rule S3 would pick for
   * an object there (a marker has no tags, so tag-filtered rules never match it), kept only when it
   * replicates delete markers.
   */
  public List<Rule> matchingDeleteMarker(String key) {
    List<Rule> out = new ArrayList<>();
    for (Rule r : matching(key, Map.of())) {
      if (r.deleteMarkers()) out.add(r);
    }
    return out;
  }

  /** The distinct destination buckets the rules name. */
  public Set<String> destinations() {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (Rule r : rules) out.add(r.destination());
    return out;
  }

  /**
   * Reads and checks a configuration as PutBucketReplication receives it.
   *
   * @param newId makes the ID of a rule that has none (S3 makes one up)
   */
  public static ReplicationConfig parse(JsonObject in, java.util.function.Supplier<String> newId) {
    try {
      return read(in, newId);
    } catch (ClassCastException e) {
      throw S3Errors.malformedXml(); // an element where a value belongs, or the other way round
    }
  }

  private static ReplicationConfig read(JsonObject in, java.util.function.Supplier<String> newId) {
    if (in == null) throw S3Errors.malformedXml();
    String role = in.getString("Role");
    if (role == null) throw S3Errors.malformedXml();
    JsonArray list = in.getJsonArray("Rules");
    if (list == null || list.isEmpty()) throw S3Errors.malformedXml();
    if (list.size() > MAX_RULES) {
      throw S3Errors.invalidRequest("The number of replication rules must not exceed the allowed limit of " + MAX_RULES
          + " rules.");
    }
    JsonArray saved = new JsonArray();
    List<Rule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<Integer> priorities = new HashSet<>();
    Boolean schemaV2 = null;
    for (Object o : list) {
      if (!(o instanceof JsonObject r)) throw S3Errors.malformedXml();
      JsonObject rule = r.copy();
      String id = rule.getString("ID");
      if (id == null || id.isEmpty()) {
        id = newId.get();
        rule.put("ID", id);
      }
      if (id.length() > 255) throw S3Errors.invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
      if (!ids.add(id)) throw S3Errors.invalidArgument("Rule Id must be unique.", "ID", id);
      String status = rule.getString("Status");
      if (!"Enabled".equals(status) && !"Disabled".equals(status)) throw S3Errors.malformedXml();
      JsonObject destination = rule.getJsonObject("Destination");
      if (destination == null || destination.getString("Bucket") == null) throw S3Errors.malformedXml();
      String arn = destination.getString("Bucket").trim();
      String bucket = arn.startsWith(ARN_PREFIX) ? arn.substring(ARN_PREFIX.length()) : null;
      if (bucket == null || !BucketName.isValid(bucket)) {
        throw S3Errors.invalidArgument("Invalid bucket ARN.", "Bucket", arn);
      }
      String storageClass = destination.getString("StorageClass");
      if (storageClass != null && !STORAGE_CLASSES.contains(storageClass)) throw S3Errors.malformedXml();
      boolean filtered = rule.containsKey("Filter");
      if (filtered && rule.containsKey("Prefix")) throw S3Errors.malformedXml();
      if (schemaV2 != null && schemaV2 != filtered) {
        throw S3Errors.invalidRequest("Rules of the configuration must all use Filter or all use Prefix.");
      }
      schemaV2 = filtered;
      String prefix;
      Map<String, String> tags = new LinkedHashMap<>();
      int priority = 0;
      boolean deleteMarkers;
      if (filtered) {
        prefix = filter(rule.getJsonObject("Filter"), tags);
        if (rule.getValue("Priority") == null) {
          throw S3Errors.invalidRequest("Priority must be specified for this version of Cross Region Replication "
              + "configuration schema. Please refer to S3 Developer Guide for more information.");
        }
        priority = integer(rule.getValue("Priority"));
        if (!priorities.add(priority)) {
          throw S3Errors.invalidArgument("Found overlapping priorities. Please provide a unique priority for each rule.", null,
              null);
        }
        JsonObject dmr = rule.getJsonObject("DeleteMarkerReplication");
        if (dmr == null) {
          throw S3Errors.invalidRequest("DeleteMarkerReplication must be specified for this version of Cross Region "
              + "Replication configuration schema. Please refer to S3 Developer Guide for more information.");
        }
        String dmrStatus = dmr.getString("Status");
        if (!"Enabled".equals(dmrStatus) && !"Disabled".equals(dmrStatus)) throw S3Errors.malformedXml();
        if (dmrStatus.equals("Enabled") && !tags.isEmpty()) {
          throw S3Errors.invalidRequest("Delete marker replication is not supported if any Tag filter is specified. Please "
              + "refer to S3 Developer Guide for more information.");
        }
        deleteMarkers = dmrStatus.equals("Enabled");
      } else {
        prefix = rule.getString("Prefix", "");
        if (rule.containsKey("DeleteMarkerReplication")) {
          // S3 refuses the second schema's elements in a rule of the first.
          throw S3Errors.invalidRequest("DeleteMarkerReplication cannot be used with a rule that has a Prefix rather than a "
              + "Filter.");
        }
        if (rule.getValue("Priority") != null) priority = integer(rule.getValue("Priority"));
        // S3's backward compatibility: a first-schema rule replicates the markers of user deletes.
        deleteMarkers = true;
      }
      JsonObject existing = rule.getJsonObject("ExistingObjectReplication");
      if (existing != null && !"Enabled".equals(existing.getString("Status")) && !"Disabled".equals(existing.getString("Status"))) {
        throw S3Errors.malformedXml();
      }
      rules.add(new Rule(id, priority, status.equals("Enabled"), prefix, tags, bucket, storageClass, filtered, deleteMarkers));
      saved.add(rule);
    }
    return new ReplicationConfig(role, rules, in.copy().put("Rules", saved));
  }

  /** The configuration as stored with the bucket (already checked). */
  public static ReplicationConfig fromStored(JsonObject stored) {
    return parse(stored, () -> {
      throw new IllegalStateException("a stored replication rule without an ID");
    });
  }

  private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
      "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE");

  /** The filter's prefix, its tags added to {@code tags}: exactly one of Prefix, Tag, And (or none: every key). */
  private static String filter(JsonObject filter, Map<String, String> tags) {
    if (filter == null) throw S3Errors.malformedXml();
    int given = (filter.containsKey("Prefix") ? 1 : 0) + (filter.containsKey("Tag") ? 1 : 0) + (filter.containsKey("And") ? 1 : 0);
    if (given > 1) throw S3Errors.malformedXml();
    if (filter.containsKey("Tag")) {
      tag(filter.getJsonObject("Tag"), tags);
      return "";
    }
    if (filter.containsKey("And")) {
      JsonObject and = filter.getJsonObject("And");
      if (and == null) throw S3Errors.malformedXml();
      for (Object t : and.getJsonArray("Tags", new JsonArray())) tag((JsonObject) t, tags);
      return and.getString("Prefix", "");
    }
    return filter.getString("Prefix", "");
  }

  private static void tag(JsonObject tag, Map<String, String> tags) {
    if (tag == null || tag.getString("Key") == null || tag.getString("Value") == null) throw S3Errors.malformedXml();
    if (tags.put(tag.getString("Key"), tag.getString("Value")) != null) {
      throw S3Errors.invalidRequest("Duplicate Tag Keys are not allowed.");
    }
  }

  private static int integer(Object v) {
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw S3Errors.malformedXml();
    }
  }
}
