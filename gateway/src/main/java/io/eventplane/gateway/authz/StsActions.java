package io.eventplane.gateway.authz;

import java.util.List;

/**
 * "Actions, resources, and condition keys for AWS Security Token Service": AssumeRole is
 * sts:AssumeRole on the role (which its trust policy completes); GetFederationToken is on the
 * federated user {@code arn:aws:sts::account:federated-user/name}. GetCallerIdentity needs no
 * permission ("No permissions are required to perform this operation"), nor do the calls STS
 * takes unsigned (AssumeRoleWithSAML, AssumeRoleWithWebIdentity), nor GetSessionToken (the User
 * Guide's "Permissions for GetSessionToken": no policy controls authentication operations).
 */
final class StsActions {
  private StsActions() {}

  static final ServiceActions TABLE = ActionTable.builder("sts")
      .free("GetCallerIdentity", "GetSessionToken", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity")
      .rule("AssumeRole", (c, a) -> List.of(Target.of("sts:AssumeRole",
          c.string("RoleArn") != null ? c.string("RoleArn") : IamActions.global(a, "role/*"))
          .with("sts:RoleSessionName", c.string("RoleSessionName"))))
      .rule("GetFederationToken", (c, a) -> List.of(Target.of("sts:GetFederationToken",
          "arn:aws:sts::" + a.account() + ":federated-user/" + (c.string("Name") != null ? c.string("Name") : "*"))))
      .rule("AssumeRoot", (c, a) -> List.of(Target.of("sts:AssumeRoot",
          "arn:aws:iam::" + (c.string("TargetPrincipal") != null ? c.string("TargetPrincipal") : a.account()) + ":root")))
      .anyResource("GetAccessKeyInfo", "DecodeAuthorizationMessage",
          "GetDelegatedAccessToken", "GetWebIdentityToken")
      .build();
}
