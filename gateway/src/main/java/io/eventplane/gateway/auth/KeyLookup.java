package io.eventplane.gateway.auth;

/**
 * Where the verifier finds the secret behind an access key id: IAM's stored keys (decrypted), the
 * admin key, or temporary credentials unsealed from a session token. Called once per request, after
 * the signature's form and time have been checked; it must not block (secrets are cached in memory).
 */
@FunctionalInterface
public interface KeyLookup {
  /**
   * @param sessionToken {@code X-Amz-Security-Token} as sent, or null
   * @param nowEpochSeconds the verifier's clock, for temporary credentials' expiry
   */
  Answer find(String accessKeyId, String sessionToken, long nowEpochSeconds);

  /** What the lookup found. */
  sealed interface Answer permits Found, Unknown, ExpiredToken {}

  /**
   * A usable secret.
   *
   * @param secretId names this secret's version (say the access key id plus a generation), so that
   *     derived signing keys are cached per secret and a rotated secret never reuses an old one
   * @param account the 12-digit account the key belongs to
   * @param principalArn who signs with it ({@code arn:aws:iam::123456789012:user/alice}, an assumed
   *     role's session ARN, the account root)
   * @param userId GetCallerIdentity's UserId for it (the account id for the root, the user's
   *     {@code AIDA...} id, {@code roleId:sessionName} for a role session)
   */
  record Found(String secretId, String secretAccessKey, String account, String principalArn, String userId)
      implements Answer {
    /** A key of the account's root (the user id is the account). */
    public Found(String secretId, String secretAccessKey, String account, String principalArn) {
      this(secretId, secretAccessKey, account, principalArn, account);
    }

    /** Never the secret: results get logged. */
    @Override
    public String toString() {
      return "Found[secretId=" + secretId + ", account=" + account + ", principalArn=" + principalArn + ", userId="
          + userId + "]";
    }
  }

  /** No such key, a deactivated key, or a session token that is not ours (or does not match the key). */
  record Unknown() implements Answer {}

  /** Temporary credentials whose session has ended. */
  record ExpiredToken() implements Answer {}

  Answer UNKNOWN = new Unknown();
  Answer EXPIRED_TOKEN = new ExpiredToken();
}
