package io.eventplane.gateway.authz;

import io.eventplane.identity.policy.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A principal's identity-based policies, compiled: its inline policies, the managed policies
 * attached to it and (for a user) to its groups, each with the name error messages give; and the
 * principal's tags (aws:PrincipalTag/key).
 *
 * <p>When no statement of them has a condition or a policy variable ({@link #contextFree()}, the
 * common case), a decision depends on the action and resource alone: {@link #remembered} keeps the
 * answers per action and resource (up to {@value #MAX_REMEMBERED}, dropped whole when full), so a
 * principal's repeated calls cost a map lookup.
 */
public final class PrincipalPolicies {
  /** No policies: every action is implicitly denied. */
  public static final PrincipalPolicies NONE = new PrincipalPolicies(List.of(), Map.of());
  static final int MAX_REMEMBERED = 4096;

  private final List<Named> policies;
  private final Map<String, String> tags;
  private final List<PolicyDocument> documents;
  private final boolean contextFree;
  private final ConcurrentHashMap<String, IdentityDecision> remembered = new ConcurrentHashMap<>();

  public PrincipalPolicies(List<Named> policies, Map<String, String> tags) {
    this.policies = List.copyOf(policies);
    this.tags = Map.copyOf(tags);
    this.documents = this.policies.stream().map(Named::document).toList();
    this.contextFree = documents.stream().allMatch(PolicyDocument::contextFree);
  }

  public static PrincipalPolicies of(Named... policies) {
    return new PrincipalPolicies(List.of(policies), Map.of());
  }

  public List<Named> policies() {
    return policies;
  }

  public Map<String, String> tags() {
    return tags;
  }

  /**
   * One compiled policy and its name: an inline policy's name, or a managed policy's ARN.
   */
  public record Named(String name, PolicyDocument document) {
    public Named {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(document, "document");
    }

    /** Parses an identity policy document; MalformedPolicyDocumentException when it is not one. */
    public static Named parse(String name, String json) {
      return new Named(name, PolicyDocument.parse(json, PolicyDocument.Kind.IDENTITY));
    }
  }

  List<PolicyDocument> documents() {
    return documents;
  }

  /** Whether decisions depend on the action and resource alone (no conditions, no policy variables). */
  boolean contextFree() {
    return contextFree;
  }

  /** A remembered decision for the action on the resource, or null (only for {@link #contextFree()} policies). */
  IdentityDecision remembered(String action, String resource) {
    return remembered.get(action + ' ' + resource);
  }

  void remember(String action, String resource, IdentityDecision decision) {
    if (remembered.size() >= MAX_REMEMBERED) remembered.clear();
    remembered.put(action + ' ' + resource, decision);
  }

  /** The name of a policy of this set (by identity), or null. */
  String nameOf(PolicyDocument document) {
    for (Named n : policies) if (n.document() == document) return n.name();
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrincipalPolicies p && p.policies.equals(policies) && p.tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(policies, tags);
  }

  @Override
  public String toString() {
    return "PrincipalPolicies[" + policies.stream().map(Named::name).toList() + ", tags " + tags + "]";
  }
}
