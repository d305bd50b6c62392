package io.eventplane.identity.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request context IAM evaluates conditions against: condition keys (compared without regard to
 * case) to their values. A single-valued key (aws:SourceIp, aws:CurrentTime) holds one value; a
 * multivalued one (aws:TagKeys) several. Immutable once built.
 */
public final class RequestContext {
  private final Map<String, List<String>> values;

  private RequestContext(Map<String, List<String>> values) {
    this.values = values;
  }

  public static RequestContext of(Map<String, List<String>> keys) {
    return of(Map.of(), keys);
  }

  /** The derived keys, then the given ones (which win over a derived key of the same name). */
  static RequestContext of(Map<String, List<String>> derived, Map<String, List<String>> keys) {
    Map<String, List<String>> values = new HashMap<>((derived.size() + keys.size()) * 2 + 1);
    derived.forEach((k, v) -> values.put(ConditionKeys.normalize(k), List.copyOf(v)));
    keys.forEach((k, v) -> values.put(ConditionKeys.normalize(k), List.copyOf(v)));
    return new RequestContext(values);
  }

  /** The key's values, or null when the request does not carry it. */
  List<String> values(String normalizedKey) {
    List<String> v = values.get(normalizedKey);
    return v == null || v.isEmpty() ? null : v;
  }

  /** A single-valued key's value, or null: a multivalued key resolves no policy variable, as IAM documents it. */
  String single(String normalizedKey) {
    List<String> v = values.get(normalizedKey);
    return v == null || v.size() != 1 ? null : v.get(0);
  }
}
