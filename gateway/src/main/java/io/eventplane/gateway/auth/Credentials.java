package io.eventplane.gateway.auth;

import io.eventplane.common.config.AuthSettings;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The node's {@link CredentialSource}: which secret signs a request, by the access key id it names.
 * The admin key (from the configuration: the default account's root, as an AWS account's root
 * access key) answers at once; else an {@code ASIA} key or a request carrying a session token is
 * temporary credentials (STS), asked of the temporary source; else the key is an IAM user's stored
 * access key, asked of the stored source.
 */
public final class Credentials implements CredentialSource {
  /** A source that knows no key: where a kind of credentials is not served yet. */
  public static final CredentialSource NONE = new CredentialSource() {
    private final Future<KeyLookup.Answer> unknown = Future.succeededFuture(KeyLookup.UNKNOWN);

    @Override
    public Future<KeyLookup.Answer> find(String accessKeyId, String sessionToken, long nowEpochSeconds) {
      return unknown;
    }
  };

  private final String adminKeyId;
  /** The admin key's answer, made once: a completed future is immutable and shared by every request. */
  private final Future<KeyLookup.Answer> admin;
  private final CredentialSource temporary;
  private final CredentialSource stored;

  /**
   * @param settings the admin key (none: only the other sources answer)
   * @param defaultAccount the account the admin key is the root of
   * @param temporary finds {@code ASIA} keys from their session token (STS)
   * @param stored finds IAM users' access keys
   */
  public Credentials(AuthSettings settings, String defaultAccount, CredentialSource temporary, CredentialSource stored) {
    this.temporary = Objects.requireNonNull(temporary, "temporary");
    this.stored = Objects.requireNonNull(stored, "stored");
    if (settings.hasAdminKey()) {
      this.adminKeyId = settings.adminAccessKeyId();
      this.admin = Future.succeededFuture(new KeyLookup.Found("admin:" + adminKeyId, settings.adminSecretAccessKey(),
          defaultAccount, "arn:aws:iam::" + defaultAccount + ":root", defaultAccount));
    } else {
      this.adminKeyId = null;
      this.admin = null;
    }
  }

  /**
   * A node's sources: the configured admin key, STS's sealed temporary credentials and IAM's stored
   * access keys (asked over {@code bus}, cached per node and dropped on IAM's change notices), all
   * opened with the configuration's credentials key.
   */
  public static Credentials ofNode(io.vertx.core.Vertx vertx, io.eventplane.common.config.EventplaneConfig config,
      java.util.function.BiFunction<String, io.eventplane.common.bus.ApiRequest, Future<io.eventplane.common.bus.ApiReply>> bus) {
    byte[] key = config.auth().credentialsKey();
    return new Credentials(config.auth(), config.accountId(),
        new TemporaryCredentialSource(new io.eventplane.common.secret.TemporaryCredentials(key)),
        // The cache's time to live is wall-clock time, whatever clock the services run on.
        StoredAccessKeys.of(vertx, bus, key, java.time.Clock.systemUTC()));
  }

  @Override
  public Future<KeyLookup.Answer> find(String accessKeyId, String sessionToken, long nowEpochSeconds) {
    if (adminKeyId != null && adminKeyId.equals(accessKeyId)) return admin;
    if (sessionToken != null || accessKeyId.startsWith("ASIA")) return temporary.find(accessKeyId, sessionToken, nowEpochSeconds);
    return stored.find(accessKeyId, sessionToken, nowEpochSeconds);
  }
}
