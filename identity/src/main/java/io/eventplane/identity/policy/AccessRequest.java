package io.eventplane.identity.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request to authorize: the principal, the action ({@code sqs:SendMessage}), the resource ARN and
 * the request context. The context gets the keys IAM derives from the principal (aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalTag/key, aws:username for IAM users) unless the caller set them.
 */
public record AccessRequest(Principal principal, String action, String resource, RequestContext context,
    String sessionRole) {
  public AccessRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(context, "context");
  }

  public static AccessRequest of(Principal principal, Map<String, String> principalTags, String action,
      String resource, Map<String, List<String>> context) {
    Map<String, List<String>> derived = new HashMap<>();
    if (principal.type() == Principal.Type.AWS) {
      derived.put(ConditionKeys.PRINCIPAL_ARN, List.of(principal.id()));
      if (principal.account() != null) derived.put(ConditionKeys.PRINCIPAL_ACCOUNT, List.of(principal.account()));
      if (principal.id().indexOf(":user/") > 0) {
        derived.put(ConditionKeys.USERNAME, List.of(principal.id().substring(principal.id().lastIndexOf('/') + 1)));
      }
      for (Map.Entry<String, String> tag : principalTags.entrySet()) {
        derived.put(ConditionKeys.PRINCIPAL_TAG + tag.getKey(), List.of(tag.getValue()));
      }
    }
    return new AccessRequest(principal, action, resource, RequestContext.of(derived, context), principal.roleOfSession());
  }

  public static AccessRequest of(Principal principal, String action, String resource, Map<String, List<String>> context) {
    return of(principal, Map.of(), action, resource, context);
  }
}
