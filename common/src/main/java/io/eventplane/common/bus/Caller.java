package io.eventplane.common.bus;

import java.util.Objects;

/**
 * Who signed an API call, as the gateway verified it (set only when signatures are verified):
 * what STS's GetCallerIdentity answers and what policies are evaluated for.
 *
 * @param arn the principal: {@code arn:aws:iam::123456789012:root}, {@code ...:user/path/alice},
 *     or an assumed role's session {@code arn:aws:sts::123456789012:assumed-role/role/session}
 * @param userId GetCallerIdentity's UserId: the account id for the root, the user's id
 *     ({@code AIDA...}), {@code roleId:sessionName} for a role session
 * @param accessKeyId the key the call was signed with ({@code AKIA...}, {@code ASIA...}, the admin key)
 */
public record Caller(String arn, String userId, String accessKeyId) {
  public Caller {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
  }

  /** The account's root user signing with the given key. */
  public static Caller root(String account, String accessKeyId) {
    return new Caller("arn:aws:iam::" + account + ":root", account, accessKeyId);
  }

  /** Whether the caller signs with temporary credentials (an STS session). */
  public boolean temporary() {
    return accessKeyId.startsWith("ASIA");
  }
}
