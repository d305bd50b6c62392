package io.eventplane.storage.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bucket's lifecycle configuration, validated as S3 validates it and compiled once for matching.
 * The canonical JSON (the API's shape: {@code Rules[]} with {@code ID}, {@code Status},
 * {@code Filter} or legacy {@code Prefix}, {@code Expiration}, {@code Transitions}, ...) is what
 * the bucket stores and GetBucketLifecycleConfiguration answers.
 *
 * <p>Ages count in days of {@code dayLength} milliseconds, and a due time is rounded up to the next
 * day boundary of the epoch as S3 rounds to the next midnight UTC: with the default day length that
 * is exactly S3's rule, with a short test day it stays the same rule scaled down.
 */
public record Lifecycle(List<Rule> rules) {
  public static final int MAX_RULES = 1000;
  public static final int MAX_ID = 255;
  /** Classes a Transition may name (S3's TransitionStorageClass). */
  static final Set<String> TRANSITION_CLASSES = Set.of("GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
      "DEEP_ARCHIVE", "GLACIER_IR");
  /** Colder is higher: a transition only ever moves an object to a colder class. */
  private static final Map<String, Integer> COLDNESS = Map.of("STANDARD", 0, "REDUCED_REDUNDANCY", 0,
      "INTELLIGENT_TIERING", 1, "STANDARD_IA", 1, "ONEZONE_IA", 2, "GLACIER_IR", 3, "GLACIER", 4, "DEEP_ARCHIVE", 5);

  public Lifecycle {
    rules = List.copyOf(rules);
  }

  /** Which objects a rule applies to; every part must hold. */
  public record Filter(String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {
    boolean matches(String key, long size, Map<String, String> objectTags) {
      if (!key.startsWith(prefix)) return false;
      for (Map.Entry<String, String> t : tags.entrySet()) {
        if (!t.getValue().equals(objectTags.get(t.getKey()))) return false;
      }
      if (sizeGreaterThan != null && size <= sizeGreaterThan) return false;
      return sizeLessThan == null || size < sizeLessThan;
    }
  }

  /** A time in days after a start, or a fixed date. */
  public record When(Integer days, Long date) {
    long dueAfter(long start, long dayLength) {
      return date != null ? date : ceilToDay(start + days * dayLength, dayLength);
    }
  }

  public record Transition(When when, String storageClass) {}

  /**
   * An action on noncurrent versions: due {@code days} after a version became noncurrent, and only
   * for a version with at least {@code newer} (null: any number of) newer noncurrent versions.
   *
   * @param storageClass the class a NoncurrentVersionTransition moves to; null for NoncurrentVersionExpiration
   */
  public record Noncurrent(int days, Integer newer, String storageClass) {
    boolean due(long noncurrentSince, int newerCount, long now, long dayLength) {
      return (newer == null || newerCount >= newer) && ceilToDay(noncurrentSince + days * dayLength, dayLength) <= now;
    }
  }

  /**
   * @param expiration when current objects expire, or null
   * @param expiredObjectDeleteMarker whether lone delete markers go (versioned buckets)
   * @param noncurrentExpiration when noncurrent versions go, or null
   * @param noncurrentTransitions when noncurrent versions move to colder classes
   * @param abortDays days after initiation after which incomplete multipart uploads are aborted, or null
   */
  public record Rule(String id, boolean enabled, Filter filter, When expiration, boolean expiredObjectDeleteMarker,
      List<Transition> transitions, Noncurrent noncurrentExpiration, List<Noncurrent> noncurrentTransitions,
      Integer abortDays) {}

  /** When the object expires by this configuration and which rule says so (the earliest), or null. */
  public record Expiry(long at, String ruleId) {}

  public Expiry expiry(StoredObject o, long dayLength) {
    Expiry best = null;
    for (Rule r : rules) {
      if (!r.enabled() || r.expiration() == null || !r.filter().matches(o.key(), o.size(), o.tags())) continue;
      long at = r.expiration().dueAfter(o.lastModified(), dayLength);
      if (best == null || at < best.at()) best = new Expiry(at, r.id());
    }
    return best;
  }

  /** The coldest class a due transition moves the object to (colder than it is now), or null. */
  public String transition(StoredObject o, long now, long dayLength) {
    String best = null;
    for (Rule r : rules) {
      if (!r.enabled() || !r.filter().matches(o.key(), o.size(), o.tags())) continue;
      for (Transition t : r.transitions()) {
        if (t.when().dueAfter(o.lastModified(), dayLength) > now) continue;
        int target = COLDNESS.get(t.storageClass());
        if (target > COLDNESS.getOrDefault(o.storageClass(), 0)
            && (best == null || target > COLDNESS.get(best))) {
          best = t.storageClass();
        }
      }
    }
    return best;
  }

  /** Whether this configuration has any action on noncurrent versions or delete markers (the sweep reads histories only then). */
  public boolean touchesHistory() {
    for (Rule r : rules) {
      if (r.enabled() && (r.noncurrentExpiration() != null || !r.noncurrentTransitions().isEmpty()
          || r.expiredObjectDeleteMarker() || (r.expiration() != null && r.expiration().days() != null))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a noncurrent version (object or delete marker) is to be deleted for good by {@code now}.
   * A version matches a filter by its own key, size and tags, as a current object does (a delete
   * marker has size 0 and no tags, so a tag filter never matches one).
   *
   * @param noncurrentSince when the version became noncurrent: its successor's write
   * @param newerCount how many noncurrent versions of the key are newer than it
   */
  public boolean expiresNoncurrent(StoredObject v, long noncurrentSince, int newerCount, long now, long dayLength) {
    for (Rule r : rules) {
      if (!r.enabled() || r.noncurrentExpiration() == null || !r.filter().matches(v.key(), v.size(), v.tags())) continue;
      if (r.noncurrentExpiration().due(noncurrentSince, newerCount, now, dayLength)) return true;
    }
    return false;
  }

  /** The coldest class a due NoncurrentVersionTransition moves the noncurrent version to (colder than it is now), or null. */
  public String noncurrentTransition(StoredObject v, long noncurrentSince, int newerCount, long now, long dayLength) {
    if (v.deleteMarker()) return null;
    String best = null;
    for (Rule r : rules) {
      if (!r.enabled() || !r.filter().matches(v.key(), v.size(), v.tags())) continue;
      for (Noncurrent t : r.noncurrentTransitions()) {
        if (!t.due(noncurrentSince, newerCount, now, dayLength)) continue;
        int target = COLDNESS.get(t.storageClass());
        if (target > COLDNESS.getOrDefault(v.storageClass(), 0) && (best == null || target > COLDNESS.get(best))) {
          best = t.storageClass();
        }
      }
    }
    return best;
  }

  /**
   * Whether a delete marker that is its key's current and only version (an "expired object delete
   * marker") goes by {@code now}: at once under ExpiredObjectDeleteMarker, and, as S3 cleans them
   * up under an Expiration with Days too, once the marker is as old as those days.
   */
  public boolean removesExpiredMarker(StoredObject marker, long now, long dayLength) {
    for (Rule r : rules) {
      if (!r.enabled() || !r.filter().matches(marker.key(), 0, Map.of())) continue;
      if (r.expiredObjectDeleteMarker()) return true;
      if (r.expiration() != null && r.expiration().days() != null
          && r.expiration().dueAfter(marker.lastModified(), dayLength) <= now) {
        return true;
      }
    }
    return false;
  }

  /** What the rules do to one version of a key's history. */
  public enum HistoryKind { EXPIRE_NONCURRENT, TRANSITION_NONCURRENT, REMOVE_EXPIRED_MARKER }

  /** @param storageClass the class to move to, for TRANSITION_NONCURRENT */
  public record HistoryAction(HistoryKind kind, StoredObject version, String storageClass) {}

  /**
   * The actions due by {@code now} on one key's history: its current version and its noncurrent
   * versions newest first. A noncurrent version became noncurrent when its successor (the next
   * newer version) was written; the current version is an expired object delete marker when it is
   * a marker with nothing behind it. Expiry wins over a transition of the same version.
   */
  public List<HistoryAction> historyActions(StoredObject current, List<StoredObject> noncurrent, long now, long dayLength) {
    List<HistoryAction> out = new ArrayList<>();
    if (current.deleteMarker() && noncurrent.isEmpty() && removesExpiredMarker(current, now, dayLength)) {
      out.add(new HistoryAction(HistoryKind.REMOVE_EXPIRED_MARKER, current, null));
    }
    StoredObject successor = current;
    for (int i = 0; i < noncurrent.size(); i++) {
      StoredObject v = noncurrent.get(i);
      long since = successor.lastModified();
      if (expiresNoncurrent(v, since, i, now, dayLength)) {
        out.add(new HistoryAction(HistoryKind.EXPIRE_NONCURRENT, v, null));
      } else {
        String to = noncurrentTransition(v, since, i, now, dayLength);
        if (to != null) out.add(new HistoryAction(HistoryKind.TRANSITION_NONCURRENT, v, to));
      }
      successor = v;
    }
    return out;
  }

  /** Whether an incomplete upload of {@code key} initiated at {@code initiated} is to be aborted by {@code now}. */
  public boolean abortsUpload(String key, long initiated, long now, long dayLength) {
    for (Rule r : rules) {
      if (!r.enabled() || r.abortDays() == null || !key.startsWith(r.filter().prefix())) continue;
      if (ceilToDay(initiated + r.abortDays() * dayLength, dayLength) <= now) return true;
    }
    return false;
  }

  public static long ceilToDay(long millis, long dayLength) {
    return Math.floorDiv(millis + dayLength - 1, dayLength) * dayLength;
  }

  /**
   * Validates a configuration as S3 does: MalformedXML for what the schema forbids (no rules, more
   * than {@value #MAX_RULES}, a missing Status, two kinds of filter in one), InvalidArgument for bad
   * values (duplicate or long IDs, non-positive days, a date not at midnight UTC), InvalidRequest for
   * a rule without any action. Returns the canonical JSON to store, IDs filled in where missing.
   */
  public static JsonObject validate(JsonObject config) {
    JsonArray rules = config == null ? null : config.getJsonArray("Rules");
    if (rules == null || rules.isEmpty() || rules.size() > MAX_RULES) throw S3Errors.malformedXml();
    Set<String> ids = new HashSet<>();
    JsonArray out = new JsonArray();
    for (Object o : rules) {
      JsonObject rule = ((JsonObject) o).copy();
      String id = rule.getString("ID");
      if (id == null || id.isEmpty()) {
        // S3 names a rule given without an ID.
        id = java.util.Base64.getEncoder().withoutPadding().encodeToString(
            io.eventplane.common.id.Ids.uuid().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        rule.put("ID", id);
      }
      if (id.length() > MAX_ID) {
        throw S3Errors.invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
      }
      if (!ids.add(id)) {
        throw S3Errors.invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", id);
      }
      compile(rule);
      out.add(rule);
    }
    return new JsonObject().put("Rules", out);
  }

  /** The compiled form of a canonical (validated) configuration. */
  public static Lifecycle of(JsonObject canonical) {
    List<Rule> rules = new ArrayList<>();
    for (Object o : canonical.getJsonArray("Rules", new JsonArray())) rules.add(compile((JsonObject) o));
    return new Lifecycle(rules);
  }

  private static Rule compile(JsonObject r) {
    String status = r.getString("Status");
    if (!"Enabled".equals(status) && !"Disabled".equals(status)) throw S3Errors.malformedXml();
    boolean hasFilter = r.getValue("Filter") != null;
    boolean hasPrefix = r.getValue("Prefix") != null;
    if (hasFilter == hasPrefix) throw S3Errors.malformedXml();
    Filter filter = hasPrefix ? new Filter(r.getString("Prefix"), Map.of(), null, null) : filter(r.getJsonObject("Filter"));

    When expiration = null;
    boolean deleteMarkers = false;
    JsonObject exp = r.getJsonObject("Expiration");
    if (exp != null) {
      int given = count(exp, "Days", "Date", "ExpiredObjectDeleteMarker");
      if (given != 1) throw S3Errors.malformedXml();
      if (exp.getValue("ExpiredObjectDeleteMarker") != null) {
        deleteMarkers = bool(exp.getValue("ExpiredObjectDeleteMarker"));
        if (deleteMarkers && !filter.tags().isEmpty()) {
          throw S3Errors.invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Tag filter");
        }
      } else {
        expiration = when(exp, "Expiration");
      }
    }
    List<Transition> transitions = new ArrayList<>();
    Set<String> classes = new HashSet<>();
    for (Object t : r.getJsonArray("Transitions", new JsonArray())) {
      JsonObject tj = (JsonObject) t;
      if (count(tj, "Days", "Date") != 1) throw S3Errors.malformedXml();
      String sc = tj.getString("StorageClass");
      if (sc == null || !TRANSITION_CLASSES.contains(sc)) throw S3Errors.malformedXml();
      if (!classes.add(sc)) {
        throw S3Errors.invalidArgument("'StorageClass' must be different for 'Transition' actions in same 'Rule'",
            "StorageClass", sc);
      }
      When w = transitionWhen(tj, sc);
      transitions.add(new Transition(w, sc));
      if (expiration != null && w.days() != null && expiration.days() != null && expiration.days() <= w.days()) {
        throw S3Errors.invalidArgument("'Days' in the Expiration action for filter '" + filter.prefix()
            + "' must be greater than 'Days' in the Transition action", "Days", String.valueOf(expiration.days()));
      }
    }
    Noncurrent noncurrent = null;
    JsonObject nve = r.getJsonObject("NoncurrentVersionExpiration");
    if (nve != null) {
      int days = positive(nve.getValue("NoncurrentDays"), "'NoncurrentDays' for NoncurrentVersionExpiration action must be "
          + "a positive integer", "NoncurrentDays");
      noncurrent = new Noncurrent(days, newer(nve), null);
    }
    List<Noncurrent> noncurrentTransitions = new ArrayList<>();
    Set<String> noncurrentClasses = new HashSet<>();
    for (Object t : r.getJsonArray("NoncurrentVersionTransitions", new JsonArray())) {
      JsonObject tj = (JsonObject) t;
      String sc = tj.getString("StorageClass");
      if (sc == null || !TRANSITION_CLASSES.contains(sc)) throw S3Errors.malformedXml();
      if (!noncurrentClasses.add(sc)) {
        throw S3Errors.invalidArgument("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same "
            + "'Rule'", "StorageClass", sc);
      }
      int days = integer(tj.getValue("NoncurrentDays"));
      if (days < 0) {
        throw S3Errors.invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative",
            "NoncurrentDays", String.valueOf(days));
      }
      if ((sc.equals("STANDARD_IA") || sc.equals("ONEZONE_IA")) && days < 30) {
        throw S3Errors.invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal "
            + "to 30 for storageClass '" + sc + "'", "NoncurrentDays", String.valueOf(days));
      }
      noncurrentTransitions.add(new Noncurrent(days, newer(tj), sc));
      if (noncurrent != null && noncurrent.days() <= days) {
        throw S3Errors.invalidArgument("'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '"
            + filter.prefix() + "' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action",
            "NoncurrentDays", String.valueOf(noncurrent.days()));
      }
    }
    Integer abort = null;
    JsonObject ab = r.getJsonObject("AbortIncompleteMultipartUpload");
    if (ab != null) {
      abort = positive(ab.getValue("DaysAfterInitiation"), "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action "
          + "must be a positive integer", "DaysAfterInitiation");
      if (!filter.tags().isEmpty() || filter.sizeGreaterThan() != null || filter.sizeLessThan() != null) {
        throw S3Errors.invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters.");
      }
    }
    if (exp == null && transitions.isEmpty() && nve == null && ab == null && noncurrentTransitions.isEmpty()) {
      throw S3Errors.invalidRequest("At least one action needs to be specified in a rule");
    }
    return new Rule(r.getString("ID"), status.equals("Enabled"), filter, expiration, deleteMarkers, transitions, noncurrent,
        noncurrentTransitions, abort);
  }

  /** NewerNoncurrentVersions: S3 keeps at most 100 newer noncurrent versions. */
  private static Integer newer(JsonObject action) {
    if (action.getValue("NewerNoncurrentVersions") == null) return null;
    int n = integer(action.getValue("NewerNoncurrentVersions"));
    if (n <= 0 || n > 100) {
      throw S3Errors.invalidArgument("'NewerNoncurrentVersions' must be between 1 and 100", "NewerNoncurrentVersions",
          String.valueOf(n));
    }
    return n;
  }

  private static Filter filter(JsonObject f) {
    int kinds = count(f, "Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And");
    if (kinds > 1) throw S3Errors.malformedXml();
    JsonObject parts = f.getJsonObject("And", f);
    if (f.getValue("And") != null && count(parts, "Prefix", "Tags", "ObjectSizeGreaterThan", "ObjectSizeLessThan") == 0) {
      throw S3Errors.malformedXml();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    List<Object> given = new ArrayList<>();
    if (parts.getValue("Tag") != null) given.add(parts.getValue("Tag"));
    parts.getJsonArray("Tags", new JsonArray()).forEach(given::add);
    for (Object o : given) {
      JsonObject t = (JsonObject) o;
      String k = t.getString("Key");
      if (k == null || t.getString("Value") == null) throw S3Errors.malformedXml();
      if (tags.put(k, t.getString("Value")) != null) {
        throw S3Errors.invalidArgument("Duplicate Tag Keys are not allowed.", "Tag", k);
      }
    }
    Long greater = size(parts.getValue("ObjectSizeGreaterThan"), "ObjectSizeGreaterThan");
    Long less = size(parts.getValue("ObjectSizeLessThan"), "ObjectSizeLessThan");
    if (less != null && less <= 0) {
      throw S3Errors.invalidArgument("'ObjectSizeLessThan' must be positive", "ObjectSizeLessThan", String.valueOf(less));
    }
    if (greater != null && less != null && greater >= less) {
      throw S3Errors.invalidArgument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'", "ObjectSizeGreaterThan",
          String.valueOf(greater));
    }
    return new Filter(parts.getString("Prefix", ""), tags, greater, less);
  }

  private static When when(JsonObject j, String action) {
    if (j.getValue("Date") != null) return new When(null, midnight(j.getValue("Date")));
    return new When(positive(j.getValue("Days"), "'Days' for " + action + " action must be a positive integer", "Days"), null);
  }

  private static When transitionWhen(JsonObject j, String storageClass) {
    if (j.getValue("Date") != null) return new When(null, midnight(j.getValue("Date")));
    int days = integer(j.getValue("Days"));
    if (days < 0) {
      throw S3Errors.invalidArgument("'Days' in Transition action must be nonnegative", "Days", String.valueOf(days));
    }
    if ((storageClass.equals("STANDARD_IA") || storageClass.equals("ONEZONE_IA")) && days < 30) {
      throw S3Errors.invalidArgument("'Days' in Transition action must be greater than or equal to 30 for storageClass '"
          + storageClass + "'", "Days", String.valueOf(days));
    }
    return new When(days, null);
  }

  private static long midnight(Object v) {
    Instant at;
    try {
      String s = String.valueOf(v).trim();
      at = s.length() == 10 ? Instant.parse(s + "T00:00:00Z") : java.time.OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw S3Errors.malformedXml();
    }
    if (at.toEpochMilli() % 86_400_000L != 0) {
      throw S3Errors.invalidArgument("'Date' must be at midnight GMT", "Date", String.valueOf(v));
    }
    return at.toEpochMilli();
  }

  private static int positive(Object v, String message, String name) {
    int n = integer(v);
    if (n <= 0) throw S3Errors.invalidArgument(message, name, String.valueOf(n));
    return n;
  }

  private static int integer(Object v) {
    if (v == null) throw S3Errors.malformedXml();
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw S3Errors.malformedXml();
    }
  }

  private static Long size(Object v, String name) {
    if (v == null) return null;
    try {
      long n = Long.parseLong(String.valueOf(v).trim());
      if (n < 0) throw S3Errors.invalidArgument("'" + name + "' must not be negative", name, String.valueOf(n));
      return n;
    } catch (NumberFormatException e) {
      throw S3Errors.malformedXml();
    }
  }

  private static boolean bool(Object v) {
    String s = String.valueOf(v).trim();
    if (!s.equals("true") && !s.equals("false")) throw S3Errors.malformedXml();
    return s.equals("true");
  }

  private static int count(JsonObject j, String... members) {
    int n = 0;
    for (String m : members) if (j.getValue(m) != null) n++;
    return n;
  }
}
