package io.eventplane.gateway.authz;

/**
 * Builds the ARNs of one call's resources in the caller's region and account (partition {@code aws},
 * as every ARN this platform issues). A member that is already an ARN is taken as it is.
 *
 * @param callerUser the calling IAM user's ARN, or null (root, a role session, an unverified call):
 *     IAM's calls without a UserName act on it
 */
record Arns(String region, String account, String callerUser) {
  static final String PARTITION = "aws";

  Arns(String region, String account) {
    this(region, account, null);
  }

  /** The calling IAM user's ARN when the context's verified caller is one, else null. */
  static String userOf(io.eventplane.common.bus.Caller caller) {
    return caller != null && caller.arn().startsWith("arn:aws:iam::") && caller.arn().contains(":user/") ? caller.arn() : null;
  }

  /** {@code arn:aws:service:region:account:resource}. */
  String of(String service, String resource) {
    return "arn:" + PARTITION + ":" + service + ":" + region + ":" + account + ":" + resource;
  }

  /** {@code arn:aws:service:region:account:type/name}, or the name itself when it is an ARN already. */
  String named(String service, String type, String nameOrArn) {
    if (nameOrArn == null) return of(service, type + "/*");
    if (nameOrArn.startsWith("arn:")) return nameOrArn;
    return of(service, type + "/" + nameOrArn);
  }

  /** An ARN's account field, or null. */
  static String accountOf(String arn) {
    return arn == null || !arn.startsWith("arn:") ? null : io.eventplane.identity.policy.Principal.accountOf(arn);
  }
}
