package io.eventplane.common.secret;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * STS's temporary credentials, kept by no one: an {@code ASIA...} access key id, a secret, and a
 * session token that carries the session and the secret sealed with the credentials key
 * ({@link SecretBox}, associated data binding the token to its access key id). Any node holding the
 * same credentials key opens a token and knows who signs with it, and with what secret, without a
 * call or a store: the credentials outlive restarts and node losses as AWS's do, and expire on their
 * own. AssumeRole and GetSessionToken mint them in the gateway; the functions service mints its
 * functions' execution-role credentials; the gateway's credential source opens them. Thread-safe.
 */
public final class TemporaryCredentials {
  /** What the tokens AWS hands out begin with today; clients never look inside. */
  private static final String PREFIX = "FwoGZXIvYXdzE";
  private static final byte FORMAT = 1;
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final byte[] PURPOSE = "eventplane sts session token:".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretBox box;

  /** @param credentialsKey the 32-byte AES key ({@code config.auth().credentialsKey()}) */
  public TemporaryCredentials(byte[] credentialsKey) {
    this.box = new SecretBox(credentialsKey);
  }

  /** Whom a session stands for. */
  public enum Kind {
    /** AssumeRole's session of a role (also a function's execution role). */
    ASSUMED_ROLE,
    /** GetSessionToken's session of an IAM user or of the account's root. */
    SESSION_TOKEN
  }

  /**
   * A session: who signs with its credentials, until when.
   *
   * @param principalArn {@code arn:aws:sts::acct:assumed-role/role/session}, or the user's or root's ARN
   * @param userId GetCallerIdentity's UserId: {@code roleId:session}, the user's id, or the account
   * @param roleArn the assumed role's ARN, or empty for a session token
   * @param sourceIdentity AssumeRole's SourceIdentity, or empty
   * @param tags the session tags (aws:PrincipalTag), in the order given
   * @param expiresAt epoch seconds
   */
  public record Session(Kind kind, String account, String principalArn, String userId, String roleArn,
      String sourceIdentity, Map<String, String> tags, long expiresAt) {
    public Session {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(principalArn, "principalArn");
      Objects.requireNonNull(userId, "userId");
      roleArn = roleArn == null ? "" : roleArn;
      sourceIdentity = sourceIdentity == null ? "" : sourceIdentity;
      tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A role's session: {@code arn:aws:sts::acct:assumed-role/<role>/<session>}, user id {@code roleId:session}. */
    public static Session assumedRole(String account, String roleName, String roleId, String roleArn, String sessionName,
        String sourceIdentity, Map<String, String> tags, long expiresAt) {
      return new Session(Kind.ASSUMED_ROLE, account, "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName,
          roleId + ":" + sessionName, roleArn, sourceIdentity, tags, expiresAt);
    }

    /** GetSessionToken's session of a user or root: the same ARN and user id as the long-term keys. */
    public static Session sessionToken(String account, String principalArn, String userId, long expiresAt) {
      return new Session(Kind.SESSION_TOKEN, account, principalArn, userId, "", "", Map.of(), expiresAt);
    }

    public boolean expired(long nowEpochSeconds) {
      return nowEpochSeconds >= expiresAt;
    }

    /** Whether the session is a role's: AssumeRole with its credentials is role chaining. */
    public boolean isRole() {
      return kind == Kind.ASSUMED_ROLE;
    }
  }

  /** Credentials as STS hands them out. Never log: {@link #toString} leaves the secret out. */
  public record Issued(String accessKeyId, String secretAccessKey, String sessionToken, Session session) {
    public long expiresAt() {
      return session.expiresAt();
    }

    @Override
    public String toString() {
      return "Issued[accessKeyId=" + accessKeyId + ", session=" + session + "]";
    }
  }

  /** An opened token: the session and the secret its credentials sign with. */
  public record Opened(Session session, String secretAccessKey) {
    @Override
    public String toString() {
      return "Opened[session=" + session + "]";
    }
  }

  /** Whether an access key id is a temporary one's ({@code ASIA...}). */
  public static boolean isTemporaryKeyId(String accessKeyId) {
    return accessKeyId != null && accessKeyId.startsWith("ASIA");
  }

  /** New credentials for a session: a fresh key id and secret, the session sealed into the token. */
  public Issued mint(Session session) {
    String accessKeyId = "ASIA" + random(KEY_ALPHABET, 16);
    String secret = random(SECRET_ALPHABET, 40);
    byte[] sealed = box.seal(serialize(session, secret), associatedData(accessKeyId));
    return new Issued(accessKeyId, secret, PREFIX + Base64.getEncoder().encodeToString(sealed), session);
  }

  /**
   * The session and secret of a token, or empty for a token not sealed with this key, changed, or
   * minted for another access key id. Expiry is the caller's to judge ({@link Session#expired}).
   */
  public Optional<Opened> open(String accessKeyId, String sessionToken) {
    if (accessKeyId == null || sessionToken == null || !sessionToken.startsWith(PREFIX)) return Optional.empty();
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(sessionToken.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return box.open(sealed, associatedData(accessKeyId)).flatMap(TemporaryCredentials::deserialize);
  }

  private static byte[] associatedData(String accessKeyId) {
    byte[] id = accessKeyId.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[PURPOSE.length + id.length];
    System.arraycopy(PURPOSE, 0, out, 0, PURPOSE.length);
    System.arraycopy(id, 0, out, PURPOSE.length, id.length);
    return out;
  }

  private static byte[] serialize(Session s, String secret) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(s.kind().ordinal());
      out.writeUTF(s.account());
      out.writeUTF(s.principalArn());
      out.writeUTF(s.userId());
      out.writeUTF(s.roleArn());
      out.writeUTF(s.sourceIdentity());
      out.writeLong(s.expiresAt());
      out.writeUTF(secret);
      out.writeShort(s.tags().size());
      for (Map.Entry<String, String> tag : s.tags().entrySet()) {
        out.writeUTF(tag.getKey());
        out.writeUTF(tag.getValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  private static Optional<Opened> deserialize(byte[] plain) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
      if (in.readByte() != FORMAT) return Optional.empty();
      int kind = in.readByte();
      if (kind < 0 || kind >= Kind.values().length) return Optional.empty();
      String account = in.readUTF();
      String principal = in.readUTF();
      String userId = in.readUTF();
      String roleArn = in.readUTF();
      String sourceIdentity = in.readUTF();
      long expiresAt = in.readLong();
      String secret = in.readUTF();
      int tagCount = in.readUnsignedShort();
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < tagCount; i++) tags.put(in.readUTF(), in.readUTF());
      return Optional.of(new Opened(new Session(Kind.values()[kind], account, principal, userId, roleArn, sourceIdentity, tags,
          expiresAt), secret));
    } catch (IOException e) {
      return Optional.empty(); // sealed by us, so only a format from another version gets here
    }
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return out.toString();
  }
}
