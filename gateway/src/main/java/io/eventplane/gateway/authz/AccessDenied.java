package io.eventplane.gateway.authz;

import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.auth.AuthErrors.AuthError;
import java.util.Map;

/**
 * What AWS answers when a call is denied, per protocol family, with IAM's wording of the reason
 * ("Troubleshoot access denied error messages" in the IAM User Guide):
 * {@code User: <arn> is not authorized to perform: <action> on resource: <arn> because no
 * identity-based policy allows the <action> action}, or {@code ... with an explicit deny in an
 * identity-based policy}; {@code resource-based} when the resource's policy decided. An action with
 * no resource ({@code *}) names none. S3 says only "Access Denied"; SNS spells the action's
 * prefix {@code SNS:} and answers AuthorizationError.
 */
public final class AccessDenied {
  /** Which kind of policy decided the deny. */
  public enum PolicyType {
    IDENTITY("an identity-based"), RESOURCE("a resource-based");

    /** With its article: "an identity-based", "a resource-based". */
    private final String words;

    PolicyType(String words) {
      this.words = words;
    }
  }

  private AccessDenied() {}

  /** IAM's sentence for a denied target. */
  public static String message(String callerArn, Target target, boolean explicit, PolicyType type, String signingName) {
    String action = signingName.equals("sns") && target.action().startsWith("sns:")
        ? "SNS:" + target.action().substring(4) : target.action();
    StringBuilder m = new StringBuilder(160).append("User: ").append(callerArn).append(" is not authorized to perform: ")
        .append(action);
    if (!target.resource().equals("*")) m.append(" on resource: ").append(target.resource());
    if (explicit) return m.append(" with an explicit deny in ").append(type.words).append(" policy").toString();
    return m.append(" because no ").append(type.words.substring(type.words.indexOf(' ') + 1)).append(" policy allows the ").append(action).append(" action")
        .toString();
  }

  /**
   * The error a final deny is answered with.
   *
   * @param family the protocol family of the call
   * @param signingName the service ({@code sns} answers AuthorizationError)
   */
  public static AuthError error(AuthErrors.Family family, String signingName, String callerArn, Target target,
      boolean explicit, PolicyType type) {
    if (family == AuthErrors.Family.S3) return new AuthError("AccessDenied", "Access Denied", 403, Map.of());
    String message = message(callerArn, target, explicit, type, signingName);
    return switch (family) {
      case QUERY, SQS_JSON -> new AuthError(signingName.equals("sns") ? "AuthorizationError" : "AccessDenied", message, 403,
          Map.of());
      case AWS_JSON -> new AuthError("AccessDeniedException", message, 400, Map.of());
      case REST_JSON -> new AuthError("AccessDeniedException", message, 403, Map.of());
      case S3 -> throw new AssertionError();
    };
  }

  /** The error for the identity step's final denial of a verdict's target. */
  public static AuthError of(AuthErrors.Family family, String signingName, String callerArn, IdentityVerdict verdict,
      int index) {
    return error(family, signingName, callerArn, verdict.targets().get(index),
        verdict.decisions().get(index).explicitlyDenied(), PolicyType.IDENTITY);
  }
}
