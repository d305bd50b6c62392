package io.eventplane.gateway.sts;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The session tokens STS hands out carry the session itself, so that any node can tell who a
 * caller with temporary credentials is (GetCallerIdentity) without asking anyone and without
 * storing anything: the token outlives restarts and node losses like the credentials do on AWS.
 * Clients treat tokens as opaque text and send them back in {@code X-Amz-Security-Token}. Nothing
 * is enforced with them, so they are not signed.
 */
final class SessionTokens {
  /** The prefix of the tokens AWS hands out today; clients never look inside. */
  private static final String PREFIX = "FwoGZXIvYXdzE";
  private static final String VERSION = "ep1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionTokens() {}

  /** Who a session acts as: a role (AssumeRole) or the account's root (GetSessionToken). */
  enum Kind { ROLE, ROOT }

  /**
   * @param roleName the role's name ({@link Kind#ROLE} only, else empty)
   * @param roleId the role's id ({@link Kind#ROLE} only, else empty)
   * @param sessionName the RoleSessionName ({@link Kind#ROLE} only, else empty)
   * @param expiresAt epoch seconds
   */
  record Session(Kind kind, String account, String roleName, String roleId, String sessionName, long expiresAt,
      String accessKeyId) {
    String arn() {
      return kind == Kind.ROLE ? "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName
          : "arn:aws:iam::" + account + ":root";
    }

    String userId() {
      return kind == Kind.ROLE ? roleId + ":" + sessionName : account;
    }
  }

  static String encode(Session s) {
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    String body = String.join("\n", VERSION, s.kind().name(), s.account(), s.roleName(), s.roleId(), s.sessionName(),
        Long.toString(s.expiresAt()), s.accessKeyId(), Base64.getEncoder().withoutPadding().encodeToString(nonce));
    return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The session a token carries; empty for a token Eventplane did not hand out. */
  static Optional<Session> decode(String token) {
    if (token == null || !token.startsWith(PREFIX)) return Optional.empty();
    try {
      String body = new String(Base64.getDecoder().decode(token.substring(PREFIX.length())), StandardCharsets.UTF_8);
      String[] f = body.split("\n", -1);
      if (f.length != 9 || !VERSION.equals(f[0])) return Optional.empty();
      return Optional.of(new Session(Kind.valueOf(f[1]), f[2], f[3], f[4], f[5], Long.parseLong(f[6]), f[7]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
