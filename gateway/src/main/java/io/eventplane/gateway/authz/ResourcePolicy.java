package io.eventplane.gateway.authz;

import io.eventplane.identity.policy.PolicyDocument;

/**
 * What the resource step of an evaluation knows of one resource: the account that owns it and its
 * own policy, compiled.
 *
 * @param account the owning account, or null when the resource does not exist and its ARN names none
 *     (a bucket)
 * @param policy the resource's policy, or null when it has none (or does not exist)
 * @param unreadable whether the resource has a policy that no longer parses: it denies everyone but
 *     the owning account's root (failing closed: a deny it holds must not be lost)
 */
public record ResourcePolicy(String account, PolicyDocument policy, boolean unreadable) {
  public ResourcePolicy(String account, PolicyDocument policy) {
    this(account, policy, false);
  }

  /** A resource whose stored policy does not parse. */
  public static ResourcePolicy unreadable(String account) {
    return new ResourcePolicy(account, null, true);
  }

  /** A resource without a policy of its own. */
  public static ResourcePolicy none(String account) {
    return new ResourcePolicy(account, null);
  }
}
