package io.eventplane.gateway.auth;

import io.vertx.core.Future;

/**
 * Where the gateway finds the secret behind an access key id before it verifies a signature: the
 * admin key (configuration), IAM's stored access keys (asked of the identity service's owning lane,
 * cached per node), or temporary credentials unsealed from the session token (no call). The future
 * completes at once when the answer is at hand; then {@link SigV4Verifier} runs with a
 * {@link KeyLookup} that returns this answer. Must not block.
 */
@FunctionalInterface
public interface CredentialSource {
  /**
   * @param sessionToken {@code X-Amz-Security-Token} as sent, or null
   * @param nowEpochSeconds the verifier's clock, for temporary credentials' expiry
   */
  Future<KeyLookup.Answer> find(String accessKeyId, String sessionToken, long nowEpochSeconds);
}
