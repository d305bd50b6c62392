package io.eventplane.gateway.iam;

import static io.eventplane.gateway.query.Shape.Scalar.BOOLEAN;
import static io.eventplane.gateway.query.Shape.Scalar.INTEGER;
import static io.eventplane.gateway.query.Shape.Scalar.STRING;
import static io.eventplane.gateway.query.Shape.member;
import static io.eventplane.gateway.query.Shape.op;
import static io.eventplane.gateway.query.Shape.struct;

import io.eventplane.gateway.query.QueryModel;
import io.eventplane.gateway.query.Shape;
import io.eventplane.gateway.query.Shape.ListOf;
import io.eventplane.gateway.query.Shape.Member;
import io.eventplane.gateway.query.Shape.Operation;
import io.eventplane.gateway.query.Shape.Struct;
import java.util.stream.Stream;

/**
 * The IAM operations Eventplane serves (roles, managed policies, users, groups, access keys), with their shapes as in botocore's model
 * of IAM 2010-05-08: lists are wrapped in {@code member} elements, dates are ISO 8601 text,
 * policy documents travel URL-encoded in outputs.
 */
public final class IamModel {
  public static final String XML_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
  public static final String API_VERSION = "2010-05-08";

  private static final Member ROLE_NAME = member("RoleName", STRING);
  private static final Member MARKER = member("Marker", STRING);
  private static final Member MAX_ITEMS = member("MaxItems", INTEGER);
  private static final Member IS_TRUNCATED = member("IsTruncated", BOOLEAN);
  private static final Struct TAG = struct(member("Key", STRING), member("Value", STRING));
  private static final Struct ROLE = struct(member("Path", STRING), ROLE_NAME, member("RoleId", STRING),
      member("Arn", STRING), member("CreateDate", STRING), member("AssumeRolePolicyDocument", STRING),
      member("Description", STRING), member("MaxSessionDuration", INTEGER), member("Tags", list(TAG)),
      member("RoleLastUsed", struct(member("LastUsedDate", STRING), member("Region", STRING))));
  private static final Member POLICY_ARN = member("PolicyArn", STRING);
  private static final Member VERSION_ID = member("VersionId", STRING);
  private static final Struct POLICY = struct(member("PolicyName", STRING), member("PolicyId", STRING),
      member("Arn", STRING), member("Path", STRING), member("DefaultVersionId", STRING),
      member("AttachmentCount", INTEGER), member("PermissionsBoundaryUsageCount", INTEGER),
      member("IsAttachable", BOOLEAN), member("Description", STRING), member("CreateDate", STRING),
      member("UpdateDate", STRING), member("Tags", list(TAG)));
  private static final Struct POLICY_VERSION = struct(member("Document", STRING), VERSION_ID,
      member("IsDefaultVersion", BOOLEAN), member("CreateDate", STRING));

  private static final Member USER_NAME = member("UserName", STRING);
  private static final Member GROUP_NAME = member("GroupName", STRING);
  private static final Member POLICY_NAME = member("PolicyName", STRING);
  private static final Member POLICY_DOCUMENT = member("PolicyDocument", STRING);
  private static final Member ACCESS_KEY_ID = member("AccessKeyId", STRING);
  private static final Struct USER = struct(member("Path", STRING), USER_NAME, member("UserId", STRING),
      member("Arn", STRING), member("CreateDate", STRING), member("PasswordLastUsed", STRING),
      member("PermissionsBoundary", struct(member("PermissionsBoundaryType", STRING),
          member("PermissionsBoundaryArn", STRING))), member("Tags", list(TAG)));
  private static final Struct GROUP = struct(member("Path", STRING), GROUP_NAME, member("GroupId", STRING),
      member("Arn", STRING), member("CreateDate", STRING));
  private static final Struct ACCESS_KEY_METADATA = struct(USER_NAME, ACCESS_KEY_ID, member("Status", STRING),
      member("CreateDate", STRING));
  private static final Struct ATTACHED_POLICIES = struct(
      member("AttachedPolicies", list(struct(member("PolicyName", STRING), member("PolicyArn", STRING)))),
      IS_TRUNCATED, MARKER);
  private static final Struct POLICY_NAMES = struct(member("PolicyNames", list(STRING)), IS_TRUNCATED, MARKER);
  private static final Struct GROUPS = struct(member("Groups", list(GROUP)), IS_TRUNCATED, MARKER);

  static final QueryModel MODEL = new QueryModel(XML_NAMESPACE, Stream.of(
      op("CreateRole", struct(member("Path", STRING), ROLE_NAME, member("AssumeRolePolicyDocument", STRING),
          member("Description", STRING), member("MaxSessionDuration", INTEGER), member("PermissionsBoundary", STRING),
          member("Tags", list(TAG))), struct(member("Role", ROLE))),
      op("GetRole", struct(ROLE_NAME), struct(member("Role", ROLE))),
      op("DeleteRole", struct(ROLE_NAME), null),
      op("ListRoles", struct(member("PathPrefix", STRING), MARKER, MAX_ITEMS),
          struct(member("Roles", list(ROLE)), IS_TRUNCATED, MARKER)),
      op("AttachRolePolicy", struct(ROLE_NAME, member("PolicyArn", STRING)), null),
      op("DetachRolePolicy", struct(ROLE_NAME, member("PolicyArn", STRING)), null),
      op("ListAttachedRolePolicies", struct(ROLE_NAME, member("PathPrefix", STRING), MARKER, MAX_ITEMS),
          struct(member("AttachedPolicies", list(struct(member("PolicyName", STRING), member("PolicyArn", STRING)))),
              IS_TRUNCATED, MARKER)),
      op("PutRolePolicy", struct(ROLE_NAME, member("PolicyName", STRING), member("PolicyDocument", STRING)), null),
      op("GetRolePolicy", struct(ROLE_NAME, member("PolicyName", STRING)),
          struct(ROLE_NAME, member("PolicyName", STRING), member("PolicyDocument", STRING))),
      op("DeleteRolePolicy", struct(ROLE_NAME, member("PolicyName", STRING)), null),
      op("ListRolePolicies", struct(ROLE_NAME, MARKER, MAX_ITEMS),
          struct(member("PolicyNames", list(STRING)), IS_TRUNCATED, MARKER)),
      op("UpdateRole", struct(ROLE_NAME, member("Description", STRING), member("MaxSessionDuration", INTEGER)), null),
      op("UpdateRoleDescription", struct(ROLE_NAME, member("Description", STRING)), struct(member("Role", ROLE))),
      op("UpdateAssumeRolePolicy", struct(ROLE_NAME, member("PolicyDocument", STRING)), null),
      op("TagRole", struct(ROLE_NAME, member("Tags", list(TAG))), null),
      op("UntagRole", struct(ROLE_NAME, member("TagKeys", list(STRING))), null),
      op("ListRoleTags", struct(ROLE_NAME, MARKER, MAX_ITEMS), struct(member("Tags", list(TAG)), IS_TRUNCATED, MARKER)),
      op("CreatePolicy", struct(member("PolicyName", STRING), member("Path", STRING), member("PolicyDocument", STRING),
          member("Description", STRING), member("Tags", list(TAG))), struct(member("Policy", POLICY))),
      op("GetPolicy", struct(POLICY_ARN), struct(member("Policy", POLICY))),
      op("DeletePolicy", struct(POLICY_ARN), null),
      op("ListPolicies", struct(member("Scope", STRING), member("OnlyAttached", BOOLEAN), member("PathPrefix", STRING),
          member("PolicyUsageFilter", STRING), MARKER, MAX_ITEMS),
          struct(member("Policies", list(POLICY)), IS_TRUNCATED, MARKER)),
      op("GetPolicyVersion", struct(POLICY_ARN, VERSION_ID), struct(member("PolicyVersion", POLICY_VERSION))),
      op("CreatePolicyVersion", struct(POLICY_ARN, member("PolicyDocument", STRING), member("SetAsDefault", BOOLEAN)),
          struct(member("PolicyVersion", POLICY_VERSION))),
      op("ListPolicyVersions", struct(POLICY_ARN, MARKER, MAX_ITEMS),
          struct(member("Versions", list(POLICY_VERSION)), IS_TRUNCATED, MARKER)),
      op("DeletePolicyVersion", struct(POLICY_ARN, VERSION_ID), null),
      op("SetDefaultPolicyVersion", struct(POLICY_ARN, VERSION_ID), null),
      op("CreateUser", struct(member("Path", STRING), USER_NAME, member("PermissionsBoundary", STRING),
          member("Tags", list(TAG))), struct(member("User", USER))),
      op("GetUser", struct(USER_NAME), struct(member("User", USER))),
      op("ListUsers", struct(member("PathPrefix", STRING), MARKER, MAX_ITEMS),
          struct(member("Users", list(USER)), IS_TRUNCATED, MARKER)),
      op("UpdateUser", struct(USER_NAME, member("NewPath", STRING), member("NewUserName", STRING)), null),
      op("DeleteUser", struct(USER_NAME), null),
      op("TagUser", struct(USER_NAME, member("Tags", list(TAG))), null),
      op("UntagUser", struct(USER_NAME, member("TagKeys", list(STRING))), null),
      op("ListUserTags", struct(USER_NAME, MARKER, MAX_ITEMS), struct(member("Tags", list(TAG)), IS_TRUNCATED, MARKER)),
      op("CreateAccessKey", struct(USER_NAME), struct(member("AccessKey", struct(USER_NAME, ACCESS_KEY_ID,
          member("Status", STRING), member("SecretAccessKey", STRING), member("CreateDate", STRING))))),
      op("ListAccessKeys", struct(USER_NAME, MARKER, MAX_ITEMS),
          struct(member("AccessKeyMetadata", list(ACCESS_KEY_METADATA)), IS_TRUNCATED, MARKER)),
      op("UpdateAccessKey", struct(USER_NAME, ACCESS_KEY_ID, member("Status", STRING)), null),
      op("DeleteAccessKey", struct(USER_NAME, ACCESS_KEY_ID), null),
      op("GetAccessKeyLastUsed", struct(ACCESS_KEY_ID), struct(USER_NAME, member("AccessKeyLastUsed",
          struct(member("LastUsedDate", STRING), member("ServiceName", STRING), member("Region", STRING))))),
      op("CreateGroup", struct(member("Path", STRING), GROUP_NAME), struct(member("Group", GROUP))),
      op("GetGroup", struct(GROUP_NAME, MARKER, MAX_ITEMS),
          struct(member("Group", GROUP), member("Users", list(USER)), IS_TRUNCATED, MARKER)),
      op("ListGroups", struct(member("PathPrefix", STRING), MARKER, MAX_ITEMS), GROUPS),
      op("UpdateGroup", struct(GROUP_NAME, member("NewPath", STRING), member("NewGroupName", STRING)), null),
      op("DeleteGroup", struct(GROUP_NAME), null),
      op("AddUserToGroup", struct(GROUP_NAME, USER_NAME), null),
      op("RemoveUserFromGroup", struct(GROUP_NAME, USER_NAME), null),
      op("ListGroupsForUser", struct(USER_NAME, MARKER, MAX_ITEMS), GROUPS),
      op("PutUserPolicy", struct(USER_NAME, POLICY_NAME, POLICY_DOCUMENT), null),
      op("GetUserPolicy", struct(USER_NAME, POLICY_NAME), struct(USER_NAME, POLICY_NAME, POLICY_DOCUMENT)),
      op("DeleteUserPolicy", struct(USER_NAME, POLICY_NAME), null),
      op("ListUserPolicies", struct(USER_NAME, MARKER, MAX_ITEMS), POLICY_NAMES),
      op("PutGroupPolicy", struct(GROUP_NAME, POLICY_NAME, POLICY_DOCUMENT), null),
      op("GetGroupPolicy", struct(GROUP_NAME, POLICY_NAME), struct(GROUP_NAME, POLICY_NAME, POLICY_DOCUMENT)),
      op("DeleteGroupPolicy", struct(GROUP_NAME, POLICY_NAME), null),
      op("ListGroupPolicies", struct(GROUP_NAME, MARKER, MAX_ITEMS), POLICY_NAMES),
      op("AttachUserPolicy", struct(USER_NAME, POLICY_ARN), null),
      op("DetachUserPolicy", struct(USER_NAME, POLICY_ARN), null),
      op("ListAttachedUserPolicies", struct(USER_NAME, member("PathPrefix", STRING), MARKER, MAX_ITEMS), ATTACHED_POLICIES),
      op("AttachGroupPolicy", struct(GROUP_NAME, POLICY_ARN), null),
      op("DetachGroupPolicy", struct(GROUP_NAME, POLICY_ARN), null),
      op("ListAttachedGroupPolicies", struct(GROUP_NAME, member("PathPrefix", STRING), MARKER, MAX_ITEMS),
          ATTACHED_POLICIES)));

  private IamModel() {}

  public static boolean isOperation(String name) {
    return MODEL.isOperation(name);
  }

  static Operation operation(String name) {
    return MODEL.operation(name);
  }

  private static ListOf list(Shape member) {
    return ListOf.wrapped(member);
  }
}
