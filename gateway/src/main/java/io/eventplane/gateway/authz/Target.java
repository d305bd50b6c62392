package io.eventplane.gateway.authz;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One permission an API call needs, as the Service Authorization Reference lists it: an IAM action
 * ({@code sqs:SendMessage}) on a resource ARN ({@code arn:aws:sqs:us-east-1:123456789012:orders}, or
 * {@code *} for an action with no resource type), with the service's condition keys that this
 * request sets for it ({@code s3:prefix}, {@code events:source}, {@code iam:PassedToService}).
 *
 * @param keys condition keys (as the reference spells them) to their values; empty for none
 */
public record Target(String action, String resource, Map<String, List<String>> keys) {
  public Target {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    keys = keys == null || keys.isEmpty() ? Map.of() : Map.copyOf(keys);
  }

  public static Target of(String action, String resource) {
    return new Target(action, resource, Map.of());
  }

  /** This target with one more single-valued condition key; a null value adds nothing. */
  public Target with(String key, String value) {
    if (value == null) return this;
    java.util.HashMap<String, List<String>> more = new java.util.HashMap<>(keys);
    more.put(key, List.of(value));
    return new Target(action, resource, more);
  }

  @Override
  public String toString() {
    return action + " on " + resource + (keys.isEmpty() ? "" : " " + keys);
  }
}
