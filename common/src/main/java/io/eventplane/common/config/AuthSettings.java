package io.eventplane.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authentication settings: the mode, the admin key pair (the default account's root), and the
 * credentials key that encrypts IAM access-key secrets at rest and seals temporary credentials'
 * session tokens. Every node of a cluster must be given the same admin key and credentials key.
 *
 * @param mode the configured mode, or null for the default ({@link #effectiveMode})
 * @param adminAccessKeyId the admin key's id, or null when none is configured
 * @param adminSecretAccessKey its secret, or null; never logged
 * @param credentialsKeyBase64 32 bytes in base64 ({@code --credentials-key}), or null to derive the
 *     key from the admin secret (HKDF-SHA256) or, without an admin key, use the fixed development key
 */
public record AuthSettings(AuthMode mode, String adminAccessKeyId, String adminSecretAccessKey, String credentialsKeyBase64) {
  private static final byte[] DEVELOPMENT_SECRET = "eventplane development credentials".getBytes(StandardCharsets.UTF_8);
  private static final byte[] KEY_INFO = "eventplane credentials key".getBytes(StandardCharsets.UTF_8);

  public AuthSettings {
    if ((adminAccessKeyId == null) != (adminSecretAccessKey == null)) {
      throw new IllegalArgumentException("the admin access key id and secret access key go together: give both or neither");
    }
    if (adminAccessKeyId != null && (adminAccessKeyId.length() < 16 || adminAccessKeyId.length() > 128
        || !adminAccessKeyId.chars().allMatch(Character::isLetterOrDigit))) {
      throw new IllegalArgumentException("the admin access key id must be 16-128 letters or digits");
    }
    if (adminSecretAccessKey != null && adminSecretAccessKey.length() < 16) {
      throw new IllegalArgumentException("the admin secret access key must be at least 16 characters");
    }
    if (credentialsKeyBase64 != null) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(credentialsKeyBase64.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the credentials key must be base64: " + e.getMessage());
      }
      if (key.length != 32) throw new IllegalArgumentException("the credentials key must be 32 bytes (base64), not " + key.length);
    }
  }

  public static AuthSettings defaults() {
    return new AuthSettings(null, null, null, null);
  }

  public boolean hasAdminKey() {
    return adminAccessKeyId != null;
  }

  /**
   * The mode in force: the configured one, else {@link AuthMode#OFF} while the node listens only on
   * a loopback address and is not clustered, and {@link AuthMode#SIGV4} otherwise.
   */
  public AuthMode effectiveMode(String bind, boolean clustered) {
    if (mode != null) return mode;
    return !clustered && isLoopback(bind) ? AuthMode.OFF : AuthMode.SIGV4;
  }

  /** Whether the mode was left to its default (the server refuses a non-loopback default without an admin key). */
  public boolean modeDefaulted() {
    return mode == null;
  }

  /** Whether the credentials key is the fixed development key (no admin key and no credentials key configured). */
  public boolean developmentCredentialsKey() {
    return credentialsKeyBase64 == null && adminSecretAccessKey == null;
  }

  /** The 32-byte AES key of stored secrets and session tokens. */
  public byte[] credentialsKey() {
    if (credentialsKeyBase64 != null) return Base64.getDecoder().decode(credentialsKeyBase64.trim());
    byte[] secret = adminSecretAccessKey != null ? adminSecretAccessKey.getBytes(StandardCharsets.UTF_8) : DEVELOPMENT_SECRET;
    return hkdfSha256(secret, KEY_INFO);
  }

  public AuthSettings withMode(AuthMode m) {
    return new AuthSettings(m, adminAccessKeyId, adminSecretAccessKey, credentialsKeyBase64);
  }

  public AuthSettings withAdminKey(String id, String secret) {
    return new AuthSettings(mode, id, secret, credentialsKeyBase64);
  }

  public AuthSettings withCredentialsKey(String base64) {
    return new AuthSettings(mode, adminAccessKeyId, adminSecretAccessKey, base64);
  }

  /** Never the secrets: settings get logged. */
  @Override
  public String toString() {
    return "AuthSettings[mode=" + (mode == null ? "default" : mode) + ", adminAccessKeyId=" + adminAccessKeyId
        + ", adminSecretAccessKey=" + (adminSecretAccessKey == null ? "none" : "****") + ", credentialsKey="
        + (credentialsKeyBase64 == null ? "derived" : "****") + "]";
  }

  /** Whether the bind address is a loopback one (a host name other than localhost counts as not). */
  public static boolean isLoopback(String bind) {
    if (bind.equals("localhost")) return true;
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty()) return false;
    if (!bind.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '[' || c == ']')) {
      return false; // a host name: resolving it here would block; treat as not loopback
    }
    try {
      return InetAddress.getByName(bind.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** RFC 5869 with an empty salt, one 32-byte block: a key for one purpose derived from a secret. */
  public static byte[] hkdfSha256(byte[] inputKey, byte[] info) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(inputKey);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info);
      mac.update((byte) 1);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
