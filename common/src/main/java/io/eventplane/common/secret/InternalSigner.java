package io.eventplane.common.secret;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the S3 requests a node's own services send to its gateway (Lambda reading a deployment
 * package, Firehose and CloudTrail writing objects) with Signature Version 4, when the auth mode
 * verifies signatures: as a session of the account's root, temporary credentials sealed with the
 * credentials key like STS's, so any node's gateway verifies them without a call. The signing time
 * is the services' clock, the one the gateway checks skew against. Unsigned payloads
 * ({@code UNSIGNED-PAYLOAD}), as S3 allows. Thread-safe.
 */
public final class InternalSigner {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final long SESSION_SECONDS = 12 * 3600;
  private static final long RENEW_BEFORE_SECONDS = 3600;

  private final TemporaryCredentials credentials;
  private final Clock clock;
  private final Map<String, TemporaryCredentials.Issued> sessions = new ConcurrentHashMap<>();

  public InternalSigner(byte[] credentialsKey, Clock clock) {
    this.credentials = new TemporaryCredentials(credentialsKey);
    this.clock = clock;
  }

  /**
   * The headers that sign a request to {@code uri} (absolute, path and query already
   * percent-encoded as sent) for S3 in {@code region}, as {@code account}'s root: Authorization,
   * x-amz-date, x-amz-content-sha256 and x-amz-security-token.
   */
  public Map<String, String> s3Headers(String method, URI uri, String account, String region) {
    TemporaryCredentials.Issued issued = session(account);
    String stamp = STAMP.format(clock.instant());
    String date = stamp.substring(0, 8);
    String host = uri.getRawAuthority();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String canonical = method + "\n" + path + "\n" + canonicalQuery(uri.getRawQuery()) + "\n"
        + "host:" + host + "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:" + stamp
        + "\nx-amz-security-token:" + issued.sessionToken() + "\n\n"
        + "host;x-amz-content-sha256;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD";
    String scope = date + "/" + region + "/s3/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + sha256Hex(canonical);
    byte[] key = hmac(("AWS4" + issued.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + issued.accessKeyId() + "/" + scope
        + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="
        + HEX.formatHex(hmac(key, toSign)));
    headers.put("x-amz-date", stamp);
    headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    headers.put("x-amz-security-token", issued.sessionToken());
    return headers;
  }

  private TemporaryCredentials.Issued session(String account) {
    long now = clock.millis() / 1000;
    TemporaryCredentials.Issued held = sessions.get(account);
    if (held != null && held.expiresAt() - now > RENEW_BEFORE_SECONDS && held.expiresAt() - now <= SESSION_SECONDS) return held;
    TemporaryCredentials.Issued fresh = credentials.mint(TemporaryCredentials.Session.sessionToken(account,
        "arn:aws:iam::" + account + ":root", account, now + SESSION_SECONDS));
    sessions.put(account, fresh);
    return fresh;
  }

  /** Pairs sorted by name then value, each part as sent (the callers encode with SigV4's rules). */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return "";
    List<String[]> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      pairs.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] p : pairs) {
      if (out.length() > 0) out.append('&');
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  private static String sha256Hex(String text) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
