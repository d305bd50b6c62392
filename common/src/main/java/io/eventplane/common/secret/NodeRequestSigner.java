package io.eventplane.common.secret;

import io.eventplane.common.config.EventplaneConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates the HTTP requests nodes send each other's gateways (the blob copies of S3's
 * replication, {@code /_eventplane/s3/blobs/<id>}) when the auth mode verifies signatures: an
 * HMAC-SHA256 over the method, the path with its query, the time and (for a PUT) the declared body
 * length, keyed by a key derived from the cluster's credentials key with HKDF under its own label
 * (so it is no key the STS tokens or sealed secrets use). The receiving gateway refuses a request
 * whose signature does not match or whose time is more than {@link #MAX_SKEW_SECONDS} from its
 * clock. Thread-safe.
 *
 * <p>The body's bytes are not signed (they stream from a file; hashing them first would read each
 * blob twice): a request cannot be forged or turned to another blob or length, but the bytes of a
 * PUT are only as safe as the cluster's network, as the bus between nodes is.
 */
public final class NodeRequestSigner {
  /** The request's time, in epoch seconds. */
  public static final String DATE_HEADER = "X-Eventplane-Node-Date";
  /** The request's signature, hex. */
  public static final String SIGNATURE_HEADER = "X-Eventplane-Node-Signature";
  /** How far a request's time may be from the receiver's clock. */
  public static final long MAX_SKEW_SECONDS = 300;
  private static final byte[] LABEL = "eventplane node-to-node requests".getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;
  private final Clock clock;

  public NodeRequestSigner(byte[] credentialsKey, Clock clock) {
    this.key = new SecretKeySpec(io.eventplane.common.config.AuthSettings.hkdfSha256(credentialsKey, LABEL), "HmacSHA256");
    this.clock = clock;
  }

  /** The node's signer when its auth mode verifies signatures, else null (requests go unsigned, as before). */
  public static NodeRequestSigner of(EventplaneConfig config, Clock clock) {
    return config.authMode().verifiesSignatures() ? new NodeRequestSigner(config.auth().credentialsKey(), clock) : null;
  }

  /**
   * The headers that sign a request.
   *
   * @param pathAndQuery the path as sent, with {@code ?query} if any
   * @param contentLength the PUT's declared body length; -1 for a request without a body
   */
  public Map<String, String> headers(String method, String pathAndQuery, long contentLength) {
    String date = Long.toString(clock.instant().getEpochSecond());
    return Map.of(DATE_HEADER, date, SIGNATURE_HEADER, HEX.formatHex(mac(method, pathAndQuery, date, contentLength)));
  }

  /**
   * Whether a received request carries a valid, fresh signature.
   *
   * @param contentLength the PUT's Content-Length header (null when absent); ignored for other methods
   */
  public boolean verify(String method, String pathAndQuery, String contentLength, String date, String signature) {
    if (date == null || signature == null || date.isEmpty() || date.length() > 18 || !date.chars().allMatch(Character::isDigit)) {
      return false;
    }
    if (Math.abs(clock.instant().getEpochSecond() - Long.parseLong(date)) > MAX_SKEW_SECONDS) return false;
    long length = -1;
    if ("PUT".equals(method)) {
      if (contentLength == null || contentLength.isEmpty() || contentLength.length() > 18
          || !contentLength.chars().allMatch(Character::isDigit)) {
        return false;
      }
      length = Long.parseLong(contentLength);
    }
    byte[] given;
    try {
      given = HEX.parseHex(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(method, pathAndQuery, date, length), given);
  }

  private byte[] mac(String method, String pathAndQuery, String date, long contentLength) {
    String toSign = method + "\n" + pathAndQuery + "\n" + date + "\n" + ("PUT".equals(method) ? Long.toString(contentLength) : "");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
