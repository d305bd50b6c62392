package io.eventplane.gateway.authz;

import java.util.List;

/**
 * "Actions, resources, and condition keys for AWS Identity and Access Management": roles are
 * {@code arn:aws:iam::account:role/path/name}, managed policies {@code arn:aws:iam::account:policy/path/name}
 * (IAM has no region). Only CreateRole and CreatePolicy carry the path; the other role operations
 * name the role alone, so the gateway's ARN is {@code role/name} (a policy naming the role by path
 * is completed by the identity lane, which knows the path). Attaching a managed policy carries
 * iam:PolicyARN; ListRoles and ListPolicies have no resource.
 */
final class IamActions {
  private IamActions() {}

  static final ServiceActions TABLE = ActionTable.builder("iam")
      .same(IamActions::role, "CreateRole", "GetRole", "DeleteRole", "PutRolePolicy", "GetRolePolicy",
          "DeleteRolePolicy", "ListRolePolicies", "ListAttachedRolePolicies", "UpdateRole", "UpdateRoleDescription",
          "UpdateAssumeRolePolicy", "TagRole", "UntagRole", "ListRoleTags")
      .rule("AttachRolePolicy", (c, a) -> List.of(Target.of("iam:AttachRolePolicy", role(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .rule("DetachRolePolicy", (c, a) -> List.of(Target.of("iam:DetachRolePolicy", role(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .rule("CreatePolicy", (c, a) -> List.of(Target.of("iam:CreatePolicy",
          global(a, "policy" + path(c) + (c.string("PolicyName") != null ? c.string("PolicyName") : "*")))))
      .same((c, a) -> c.string("PolicyArn") != null ? c.string("PolicyArn") : global(a, "policy/*"), "GetPolicy",
          "DeletePolicy", "GetPolicyVersion", "CreatePolicyVersion", "ListPolicyVersions", "DeletePolicyVersion",
          "SetDefaultPolicyVersion")
      .anyResource("ListRoles", "ListPolicies", "ListUsers", "ListGroups")
      .same(IamActions::user, "CreateUser", "GetUser", "DeleteUser", "UpdateUser", "TagUser", "UntagUser",
          "ListUserTags", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies",
          "ListAttachedUserPolicies", "ListGroupsForUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey",
          "DeleteAccessKey", "GetAccessKeyLastUsed")
      .rule("AttachUserPolicy", (c, a) -> List.of(Target.of("iam:AttachUserPolicy", user(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .rule("DetachUserPolicy", (c, a) -> List.of(Target.of("iam:DetachUserPolicy", user(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .same(IamActions::group, "CreateGroup", "GetGroup", "DeleteGroup", "UpdateGroup", "PutGroupPolicy",
          "GetGroupPolicy", "DeleteGroupPolicy", "ListGroupPolicies", "ListAttachedGroupPolicies", "AddUserToGroup",
          "RemoveUserFromGroup")
      .rule("AttachGroupPolicy", (c, a) -> List.of(Target.of("iam:AttachGroupPolicy", group(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .rule("DetachGroupPolicy", (c, a) -> List.of(Target.of("iam:DetachGroupPolicy", group(c, a))
          .with("iam:PolicyARN", c.string("PolicyArn"))))
      .build();

  /** {@code arn:aws:iam::account:resource}: IAM's ARNs have no region. */
  static String global(Arns a, String resource) {
    return "arn:" + Arns.PARTITION + ":iam::" + a.account() + ":" + resource;
  }

  /**
   * The user a call names; without a UserName (GetUser, the access-key calls) the calling user
   * itself, as IAM acts on the caller's own user then ({@code user/*} for other callers).
   */
  private static String user(ApiCall c, Arns a) {
    String name = c.string("UserName");
    if (name == null && a.callerUser() != null) return a.callerUser();
    return global(a, "user" + path(c) + (name != null ? name : "*"));
  }

  private static String group(ApiCall c, Arns a) {
    String name = c.string("GroupName");
    return global(a, "group" + path(c) + (name != null ? name : "*"));
  }

  private static String role(ApiCall c, Arns a) {
    String name = c.string("RoleName");
    return global(a, "role" + path(c) + (name != null ? name : "*"));
  }

  /** The Path member ({@code /} when absent): only the Create operations have one. */
  private static String path(ApiCall c) {
    String path = c.string("Path");
    return path != null && path.startsWith("/") && path.endsWith("/") ? path : "/";
  }
}
