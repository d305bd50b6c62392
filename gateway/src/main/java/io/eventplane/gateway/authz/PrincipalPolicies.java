package io.eventplane.gateway.authz;

import io.eventplane.identity.policy.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A principal's identity-based policies, compiled: its inline policies, the managed policies
 * attached to it and (for a user) to its groups, each with the name error messages and the wire
 * form give; and the principal's tags (aws:PrincipalTag/key).
 */
public record PrincipalPolicies(List<Named> policies, Map<String, String> tags) {
  /** No policies: every action is implicitly denied. */
  public static final PrincipalPolicies NONE = new PrincipalPolicies(List.of(), Map.of());

  public PrincipalPolicies {
    policies = List.copyOf(policies);
    tags = Map.copyOf(tags);
  }

  public static PrincipalPolicies of(Named... policies) {
    return new PrincipalPolicies(List.of(policies), Map.of());
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
    return policies.stream().map(Named::document).toList();
  }

  /** The name of a policy of this set (by identity), or null. */
  String nameOf(PolicyDocument document) {
    for (Named n : policies) if (n.document() == document) return n.name();
    return null;
  }
}
