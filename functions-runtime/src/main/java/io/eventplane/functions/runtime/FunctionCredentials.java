package io.eventplane.functions.runtime;

import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.functions.domain.Function;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The execution role's temporary credentials Lambda gives each instance of a function in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN: a session of the role named
 * after the function ({@code arn:aws:sts::acct:assumed-role/<role>/<function>}, UserId
 * {@code roleId:function} with the role's id IAM gave when the function's role was set), minted when
 * the instance starts (no call: sealed {@link TemporaryCredentials}, which any node verifies).
 *
 * <p>Expiry: AWS refreshes the credentials of long-lived environments; an instance's environment
 * cannot change, so instead the credentials last {@link #LIFETIME} and an instance takes no new
 * invocation once it is older than {@link #SERVES_FOR} (it is stopped and the next invocation
 * starts a fresh one), so that no invocation (15 minutes at most) outlives its credentials. Idle
 * instances are reaped long before either.
 */
public final class FunctionCredentials {
  /** How long an instance's credentials last: the longest role session AWS allows. */
  public static final Duration LIFETIME = Duration.ofHours(12);
  /** How long an instance takes new invocations: well within its credentials' lifetime. */
  public static final Duration SERVES_FOR = Duration.ofHours(11);

  private final TemporaryCredentials credentials;
  private final Clock clock;

  public FunctionCredentials(TemporaryCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  /** The session an instance of the function acts as. */
  public TemporaryCredentials.Session session(Function f) {
    String arn = f.role();
    String[] parts = arn.split(":", 6);
    String account = parts.length == 6 && !parts[4].isEmpty() ? parts[4] : f.accountId();
    String roleName = arn.substring(arn.lastIndexOf('/') + 1);
    long expiresAt = clock.instant().plus(LIFETIME).getEpochSecond();
    String roleId = f.roleId() != null ? f.roleId() : derivedRoleId(arn);
    return TemporaryCredentials.Session.assumedRole(account, roleName, roleId, arn, f.name(), "", Map.of(), expiresAt);
  }

  /** New credentials for an instance, as environment variables. */
  public Map<String, String> environment(Function f) {
    TemporaryCredentials.Issued issued = credentials.mint(session(f));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ACCESS_KEY_ID", issued.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", issued.secretAccessKey());
    env.put("AWS_SESSION_TOKEN", issued.sessionToken());
    return env;
  }

  /**
   * An id for a role IAM did not know when the function named it ({@code AROA} and 17 characters,
   * like IAM's): derived from the role's ARN, so stable for the function.
   */
  static String derivedRoleId(String roleArn) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(StandardCharsets.UTF_8));
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
      StringBuilder id = new StringBuilder("AROA");
      for (int i = 0; i < 17; i++) id.append(alphabet.charAt((digest[i] & 0xff) % 32));
      return id.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
