package io.eventplane.gateway.auth;

import java.time.Clock;
import java.util.List;

/**
 * Verifies a request's AWS Signature Version 4 (IAM User Guide, "Create a signed AWS API request";
 * Amazon S3 API Reference, "Authenticating Requests (AWS Signature Version 4)"): parses the
 * signature from the Authorization header or the presigned query, checks its scope and time, finds
 * the key's secret, rebuilds the canonical request and string to sign, and compares the signature in
 * constant time. Pure: no I/O besides the {@link KeyLookup}, no Vert.x, safe from any thread.
 *
 * <p>The time rules: a signed header's X-Amz-Date (or Date) must be within 15 minutes of the
 * server's clock; a presigned URL is good from 15 minutes before its X-Amz-Date to X-Amz-Expires
 * seconds after it. The payload hash signed is {@code x-amz-content-sha256} when the request has
 * one (a hex hash, {@code UNSIGNED-PAYLOAD}, {@code STREAMING-*}); else the body's SHA-256, or for
 * S3 presigned URLs {@code UNSIGNED-PAYLOAD}. Whether a declared hex hash matches the body is the
 * body reader's check ({@code http/PayloadHash}), as the body may stream after this answer.
 */
public final class SigV4Verifier {
  /** AWS's allowed clock skew, 15 minutes. */
  public static final long MAX_SKEW_SECONDS = 900;
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private final KeyLookup keys;
  private final SigningKeys signingKeys;
  private final Clock clock;

  public SigV4Verifier(KeyLookup keys, SigningKeys signingKeys, Clock clock) {
    this.keys = keys;
    this.signingKeys = signingKeys;
    this.clock = clock;
  }

  /**
   * @param expectedService the signing name of the service the request is for ({@code sqs},
   *     {@code s3}, {@code execute-api}), or null to accept whichever the scope names
   */
  public AuthResult verify(SignedRequest request, String expectedService) {
    QueryParams query = QueryParams.of(request.rawQuery());
    SignatureParts.Parsed parsed = SignatureParts.of(request, query);
    if (parsed instanceof SignatureParts.Failed failed) return failed.failure();
    SignatureParts parts = ((SignatureParts.Ok) parsed).parts();

    AuthFailure scopeProblem = checkScope(parts, expectedService);
    if (scopeProblem != null) return scopeProblem;

    long now = clock.millis() / 1000;
    AuthFailure timeProblem = checkTime(parts, now);
    if (timeProblem != null) return timeProblem;

    KeyLookup.Answer answer = keys.find(parts.accessKeyId(), parts.securityToken(), now);
    if (answer instanceof KeyLookup.Unknown) return AuthFailure.of(AuthFailure.Kind.UNKNOWN_KEY, null);
    if (answer instanceof KeyLookup.ExpiredToken) return AuthFailure.of(AuthFailure.Kind.EXPIRED_TOKEN, null);
    KeyLookup.Found key = (KeyLookup.Found) answer;

    boolean s3 = parts.service().equals("s3");
    String payloadHash = payloadHash(request, parts, s3);
    String canonicalRequest = canonicalRequest(request, parts, s3, payloadHash == null ? "" : payloadHash);
    String stringToSign = SignatureParts.ALGORITHM + '\n' + parts.requestTime() + '\n' + parts.scope() + '\n'
        + Crypto.sha256Hex(canonicalRequest);
    byte[] signingKey = signingKeys.key(key.secretId(), key.secretAccessKey(), parts.date(), parts.region(), parts.service());
    String signature = Crypto.hex(Crypto.hmac(signingKey, stringToSign));
    if (payloadHash == null || !Crypto.signatureMatches(signature, parts.signature())) {
      return new AuthFailure(AuthFailure.Kind.BAD_SIGNATURE, null, null, null, new AuthFailure.Diagnostics(
          parts.accessKeyId(), stringToSign, canonicalRequest, parts.signature(), parts.requestTime(), parts.expires(), now));
    }
    return new Verified(parts.accessKeyId(), parts.region(), parts.service(), parts.securityToken(), key, payloadHash,
        new Verified.ChunkContext(signingKey, parts.requestTime(), parts.scope(), signature));
  }

  /** The canonical request (step 1 of SigV4) for these parts; exposed for tests and S3's diagnostics. */
  static String canonicalRequest(SignedRequest request, SignatureParts parts, boolean s3, String payloadHash) {
    List<String> signed = parts.signedHeaders();
    StringBuilder out = new StringBuilder(512);
    out.append(request.method()).append('\n')
        .append(Canonical.uri(request.rawPath(), s3)).append('\n')
        .append(Canonical.query(request.rawQuery(), parts.presigned())).append('\n')
        .append(Canonical.headers(signed, request.headers())).append('\n');
    for (int i = 0; i < signed.size(); i++) {
      if (i > 0) out.append(';');
      out.append(signed.get(i));
    }
    return out.append('\n').append(payloadHash).toString();
  }

  private static String payloadHash(SignedRequest request, SignatureParts parts, boolean s3) {
    String declared = request.headers().first("x-amz-content-sha256");
    if (declared != null) return declared;
    if (s3 && parts.presigned()) return UNSIGNED_PAYLOAD;
    return request.bodySha256() == null ? null : request.bodySha256().get();
  }

  private static AuthFailure checkScope(SignatureParts parts, String expectedService) {
    if (!isName(parts.region())) {
      return AuthFailure.of(AuthFailure.Kind.BAD_SIGNATURE, "Credential should be scoped to a valid region. ");
    }
    if (!isName(parts.service()) || (expectedService != null && !expectedService.equals(parts.service()))) {
      String expected = expectedService == null ? parts.service() : expectedService;
      return AuthFailure.of(AuthFailure.Kind.BAD_SIGNATURE, "Credential should be scoped to correct service: '" + expected
          + "'. ", "AuthorizationHeaderMalformed", SignatureParts.malformedHeader("incorrect service \"" + parts.service()
          + "\". This endpoint belongs to \"" + expected + "\"."));
    }
    if (Times.parseBasic(parts.requestTime()) == Long.MIN_VALUE) {
      // An X-Amz-Date that is no ISO 8601 basic timestamp: AWS asks for a date it can read.
      return AuthFailure.of(AuthFailure.Kind.INCOMPLETE, parts.presigned()
          ? "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."
          : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="
              + SignatureParts.ALGORITHM + " Credential=" + parts.accessKeyId() + "/" + parts.scope(),
          parts.presigned() ? "AuthorizationQueryParametersError" : "AccessDenied",
          parts.presigned() ? "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
              : "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (!parts.requestTime().startsWith(parts.date())) {
      return AuthFailure.of(AuthFailure.Kind.BAD_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
          + "version of date from HTTP: '" + parts.date() + "' != '" + parts.requestTime().substring(0, 8) + "', from '"
          + parts.requestTime() + "'.", parts.presigned() ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed",
          parts.presigned() ? "Invalid date format of X-Amz-Credential header. Date is not the same as X-Amz-Date."
              : SignatureParts.malformedHeader("Invalid credential date. Date is not the same as X-Amz-Date."));
    }
    if (parts.presigned() && parts.expires() < 0 && parts.service().equals("s3")) {
      return AuthFailure.of(AuthFailure.Kind.INCOMPLETE, "AWS query-string parameters must include 'X-Amz-Expires'. "
          + "Re-examine the query-string parameters.", "AuthorizationQueryParametersError", "Query-string authentication "
          + "version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "
          + "and X-Amz-Expires parameters.");
    }
    if (!parts.signedHeaders().contains("host")) {
      return AuthFailure.of(AuthFailure.Kind.INCOMPLETE, "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
          + "Authorization.", "AccessDenied", "There were headers present in the request which were not signed");
    }
    return null;
  }

  private AuthFailure checkTime(SignatureParts parts, long now) {
    long signedAt = Times.parseBasic(parts.requestTime());
    if (parts.presigned() && parts.expires() >= 0) {
      if (now > signedAt + parts.expires()) {
        return new AuthFailure(AuthFailure.Kind.EXPIRED, "Request has expired.", null, null, diagnostics(parts, now));
      }
      if (signedAt - MAX_SKEW_SECONDS > now) return skewed(parts, signedAt, now);
      return null;
    }
    // The header form, and presigned URLs of services that let X-Amz-Expires out: 15 minutes either way.
    if (Math.abs(now - signedAt) > MAX_SKEW_SECONDS) return skewed(parts, signedAt, now);
    return null;
  }

  private static AuthFailure skewed(SignatureParts parts, long signedAt, long now) {
    String message = signedAt < now
        ? "Signature expired: " + parts.requestTime() + " is now earlier than " + Times.formatBasic(now - MAX_SKEW_SECONDS)
            + " (" + Times.formatBasic(now) + " - 15 min.)"
        : "Signature not yet current: " + parts.requestTime() + " is still later than "
            + Times.formatBasic(now + MAX_SKEW_SECONDS) + " (" + Times.formatBasic(now) + " + 15 min.)";
    return new AuthFailure(AuthFailure.Kind.SKEWED, message, null, null, diagnostics(parts, now));
  }

  private static AuthFailure.Diagnostics diagnostics(SignatureParts parts, long now) {
    return new AuthFailure.Diagnostics(parts.accessKeyId(), null, null, parts.signature(), parts.requestTime(),
        parts.expires(), now);
  }

  /** {@code [a-z0-9-]{1,64}}, as the credential scope's region and service are. */
  private static boolean isName(String s) {
    if (s.isEmpty() || s.length() > 64) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
  }
}
