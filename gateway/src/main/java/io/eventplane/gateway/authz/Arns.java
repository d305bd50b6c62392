package io.eventplane.gateway.authz;

/**
 * Builds the ARNs of one call's resources in the caller's region and account (partition {@code aws},
 * as every ARN this platform issues). A member that is already an ARN is taken as it is.
 */
record Arns(String region, String account) {
  static final String PARTITION = "aws";

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
    if (arn == null || !arn.startsWith("arn:")) return null;
    int at = 0;
    for (int i = 0; i < 4; i++) {
      at = arn.indexOf(':', at) + 1;
      if (at == 0) return null;
    }
    int end = arn.indexOf(':', at);
    return end < 0 ? null : arn.substring(at, end);
  }
}
