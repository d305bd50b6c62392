package io.eventplane.identity.policy;

import java.util.Objects;

/**
 * Who makes a request, as a policy's Principal element names it: an AWS identity (IAM user, role
 * session, account root) with its ARN and account, an AWS service ({@code sqs.amazonaws.com}) acting
 * for a resource, a federated identity provider, or an anonymous caller.
 */
public record Principal(Type type, String id, String account) {
  public enum Type { AWS, SERVICE, FEDERATED, ANONYMOUS }

  public Principal {
    Objects.requireNonNull(type, "type");
    if (type != Type.ANONYMOUS) Objects.requireNonNull(id, "id");
  }

  public static Principal aws(String arn) {
    return new Principal(Type.AWS, arn, accountOf(arn));
  }

  public static Principal service(String name) {
    return new Principal(Type.SERVICE, name, null);
  }

  public static Principal federated(String provider) {
    return new Principal(Type.FEDERATED, provider, null);
  }

  public static Principal anonymous() {
    return new Principal(Type.ANONYMOUS, null, null);
  }

  /**
   * The role an STS assumed-role session belongs to ({@code arn:aws:sts::A:assumed-role/R/s} is
   * {@code arn:aws:iam::A:role/R}), which resource policies name instead of the session; else null.
   */
  String roleOfSession() {
    if (type != Type.AWS || !id.contains(":assumed-role/")) return null;
    int slash = id.indexOf('/', id.indexOf(":assumed-role/") + ":assumed-role/".length());
    String role = id.substring(id.indexOf(":assumed-role/") + ":assumed-role/".length(), slash < 0 ? id.length() : slash);
    String partition = id.substring(4, id.indexOf(':', 4));
    return "arn:" + partition + ":iam::" + account + ":role/" + role;
  }

  /** The ARN's account field (the fifth), or null when it has fewer than six fields. */
  public static String accountOf(String arn) {
    int at = 0;
    for (int i = 0; i < 4; i++) {
      at = arn.indexOf(':', at) + 1;
      if (at == 0) return null;
    }
    int end = arn.indexOf(':', at);
    return end < 0 ? null : arn.substring(at, end);
  }
}
