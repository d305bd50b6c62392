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
 * The IAM role and managed-policy operations that deploying functions needs, with their shapes as in botocore's model
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
      op("SetDefaultPolicyVersion", struct(POLICY_ARN, VERSION_ID), null)));

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
