package io.eventplane.gateway.auth;

import io.eventplane.common.secret.TemporaryCredentials;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The secret behind STS's temporary credentials ({@code ASIA...} keys of AssumeRole, GetSessionToken
 * and functions' execution roles), unsealed from the session token the request carries: no call, no
 * store, the future completes at once. A token that is not ours, was changed, or belongs to another
 * key id is an unknown key (InvalidClientTokenId); an ended session is an expired token.
 */
public final class TemporaryCredentialSource implements CredentialSource {
  private final TemporaryCredentials credentials;

  /** @param credentials opens tokens with the node's credentials key ({@code config.auth().credentialsKey()}) */
  public TemporaryCredentialSource(TemporaryCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public Future<KeyLookup.Answer> find(String accessKeyId, String sessionToken, long nowEpochSeconds) {
    return Future.succeededFuture(lookup(accessKeyId, sessionToken, nowEpochSeconds));
  }

  /** The same answer, synchronously. */
  public KeyLookup.Answer lookup(String accessKeyId, String sessionToken, long nowEpochSeconds) {
    if (!TemporaryCredentials.isTemporaryKeyId(accessKeyId) || sessionToken == null) return KeyLookup.UNKNOWN;
    Optional<TemporaryCredentials.Opened> opened = credentials.open(accessKeyId, sessionToken);
    if (opened.isEmpty()) return KeyLookup.UNKNOWN;
    TemporaryCredentials.Session session = opened.get().session();
    if (session.expired(nowEpochSeconds)) return KeyLookup.EXPIRED_TOKEN;
    return new KeyLookup.Found(accessKeyId, opened.get().secretAccessKey(), session.account(), session.principalArn(),
        session.userId());
  }
}
