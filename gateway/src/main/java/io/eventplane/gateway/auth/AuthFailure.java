package io.eventplane.gateway.auth;

/**
 * Why a request is not authenticated, in neutral terms; {@link AuthErrors} gives each protocol
 * family's code, message and status for it.
 *
 * @param message the wording the Query and JSON services use where it depends on the case
 *     (IncompleteSignature's list of what is missing, "Signature expired: ..."); null where the
 *     family's fixed message applies
 * @param s3Code the code S3 gives where it words the case its own way (AuthorizationHeaderMalformed,
 *     AuthorizationQueryParametersError, InvalidArgument, AccessDenied); null where {@link AuthErrors}' S3
 *     column for the kind applies
 * @param s3Message S3's message with {@code s3Code}
 * @param diagnostics what S3 echoes for a signature mismatch; null for other kinds
 */
public record AuthFailure(Kind kind, String message, String s3Code, String s3Message, Diagnostics diagnostics) implements AuthResult {
  /** The neutral kinds of failure. */
  public enum Kind {
    /** The access key id is not one the server knows (or is inactive). */
    UNKNOWN_KEY,
    /** The signature (or the scope it was made for) does not match. */
    BAD_SIGNATURE,
    /** The Authorization header or presigned query lacks a part, or a part is malformed. */
    INCOMPLETE,
    /** The request carries no signature at all. */
    MISSING,
    /** A presigned URL used after X-Amz-Date + X-Amz-Expires. */
    EXPIRED,
    /** The request's time is more than 15 minutes from the server's. */
    SKEWED,
    /** The session token's temporary credentials have expired. */
    EXPIRED_TOKEN
  }

  /**
   * The request as the server saw it, for S3's SignatureDoesNotMatch, RequestTimeTooSkewed and
   * expired presigned URLs.
   *
   * @param requestTime the signature's X-Amz-Date (ISO 8601 basic), or null
   * @param expires a presigned URL's X-Amz-Expires, or -1 (-2: a presigned URL without one)
   * @param serverTime the server's clock in epoch seconds
   */
  public record Diagnostics(String accessKeyId, String stringToSign, String canonicalRequest, String signatureProvided,
      String requestTime, long expires, long serverTime) {}

  static AuthFailure of(Kind kind, String message) {
    return new AuthFailure(kind, message, null, null, null);
  }

  static AuthFailure of(Kind kind, String message, String s3Code, String s3Message) {
    return new AuthFailure(kind, message, s3Code, s3Message, null);
  }
}
