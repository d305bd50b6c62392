package io.eventplane.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the bench's AWS JSON requests with Signature Version 4 as an SDK does for each request: the
 * body's SHA-256, the canonical request, and the HMAC chain (the signing key cached per day, as SDK v2
 * caches it). Every mode measured gets the same signed requests, so the client's cost is equal and
 * only the server's verification differs. One instance per event loop: Mac and MessageDigest are not
 * thread-safe.
 */
final class BenchSigner {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKeyId;
  private final String secret;
  private final String region;
  private final String service;
  private final String host;
  private final Mac mac;
  private final MessageDigest sha256;
  private String keyDate;
  private byte[] signingKey;

  BenchSigner(String accessKeyId, String secret, String region, String service, int port) {
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
    this.service = service;
    this.host = "127.0.0.1:" + port;
    try {
      this.mac = Mac.getInstance("HmacSHA256");
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Headers of a signed AWS JSON POST to {@code /} with this target and body. */
  MultiMap jsonPost(String contentType, String target, Buffer body) {
    String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
    String date = stamp.substring(0, 8);
    String payloadHash = HEX.formatHex(sha256.digest(body.getBytes()));
    String canonical = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + stamp
        + "\nx-amz-target:" + target + "\n\ncontent-type;host;x-amz-date;x-amz-target\n" + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
        + HEX.formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    String signature = HEX.formatHex(hmac(key(date), toSign));
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("Content-Type", contentType);
    h.add("X-Amz-Target", target);
    h.add("X-Amz-Date", stamp);
    h.add("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
        + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + signature);
    return h;
  }

  /** Headers of a signed AWS Query POST to {@code /} (form body), as IAM's API is called. */
  MultiMap formPost(Buffer body) {
    String contentType = "application/x-www-form-urlencoded; charset=utf-8";
    String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
    String date = stamp.substring(0, 8);
    String canonical = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\nx-amz-date:" + stamp
        + "\n\ncontent-type;host;x-amz-date\n" + HEX.formatHex(sha256.digest(body.getBytes()));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
        + HEX.formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.add("Content-Type", contentType);
    h.add("X-Amz-Date", stamp);
    h.add("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
        + ", SignedHeaders=content-type;host;x-amz-date, Signature=" + HEX.formatHex(hmac(key(date), toSign)));
    return h;
  }

  private byte[] key(String date) {
    if (!date.equals(keyDate)) {
      byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
      k = hmac(k, region);
      k = hmac(k, service);
      signingKey = hmac(k, "aws4_request");
      keyDate = date;
    }
    return signingKey;
  }

  private byte[] hmac(byte[] key, String data) {
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
