package io.eventplane.gateway.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each AWS protocol family answers for each {@link AuthFailure.Kind}: the error code, message
 * and HTTP status, and S3's extra elements. The one place these words live; the protocol
 * renderers turn an {@link AuthError} into their body ({@code <ErrorResponse>}, {@code __type},
 * S3's {@code <Error>}).
 *
 * <p>Sources: the AWS common errors pages (Query and JSON APIs), the S3 API Reference's error
 * responses, and the answers botocore, moto and LocalStack record from AWS. Front-end errors of
 * JSON services are 400 ({@code UnrecognizedClientException}, {@code InvalidSignatureException});
 * REST-JSON services behind the same front end (Lambda) answer 403.
 */
public final class AuthErrors {
  /** The protocol families whose auth errors differ. */
  public enum Family {
    /** AWS Query with XML errors: SNS, IAM, STS, SQS's Query protocol. */
    QUERY,
    /** AWS JSON 1.0/1.1: Kinesis, Firehose, EventBridge, CloudWatch Logs, CloudTrail. */
    AWS_JSON,
    /**
     * SQS over AWS JSON 1.0, and CloudWatch over AWS JSON 1.0 and RPC v2 CBOR: query-compatible, so the
     * Query codes (in {@code x-amzn-query-error} too).
     */
    SQS_JSON,
    /** REST-JSON: Lambda, API Gateway's management API. */
    REST_JSON,
    /** S3's REST-XML. */
    S3
  }

  /**
   * One error as a family words it.
   *
   * @param extras S3's additional {@code <Error>} elements in order (empty for the other families)
   */
  public record AuthError(String code, String message, int status, Map<String, String> extras) {}

  static final String INVALID_TOKEN = "The security token included in the request is invalid.";
  static final String EXPIRED_TOKEN = "The security token included in the request is expired";
  static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. "
      + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
  static final String S3_SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you "
      + "provided. Check your key and signing method.";

  private AuthErrors() {}

  public static AuthError of(Family family, AuthFailure failure) {
    return switch (family) {
      case S3 -> s3(failure);
      case QUERY, SQS_JSON -> query(failure);
      case AWS_JSON -> json(failure, 400);
      case REST_JSON -> json(failure, 403);
    };
  }

  private static AuthError query(AuthFailure f) {
    return switch (f.kind()) {
      case UNKNOWN_KEY -> plain("InvalidClientTokenId", INVALID_TOKEN, 403);
      case BAD_SIGNATURE, EXPIRED, SKEWED -> plain("SignatureDoesNotMatch", or(f.message(), SIGNATURE_MISMATCH), 403);
      case INCOMPLETE -> plain("IncompleteSignature", f.message(), 400);
      case MISSING -> plain("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
      case EXPIRED_TOKEN -> plain("ExpiredToken", EXPIRED_TOKEN, 403);
    };
  }

  private static AuthError json(AuthFailure f, int status) {
    return switch (f.kind()) {
      case UNKNOWN_KEY -> plain("UnrecognizedClientException", INVALID_TOKEN, status);
      case BAD_SIGNATURE, EXPIRED, SKEWED -> plain("InvalidSignatureException", or(f.message(), SIGNATURE_MISMATCH), status);
      case INCOMPLETE -> plain("IncompleteSignatureException", f.message(), status);
      case MISSING -> plain("MissingAuthenticationTokenException", "Missing Authentication Token", status);
      case EXPIRED_TOKEN -> plain("ExpiredTokenException", EXPIRED_TOKEN, status);
    };
  }

  private static AuthError s3(AuthFailure f) {
    if (f.s3Code() != null) {
      return plain(f.s3Code(), f.s3Message(), f.s3Code().equals("AccessDenied") ? 403 : 400);
    }
    AuthFailure.Diagnostics d = f.diagnostics();
    Map<String, String> extras = new LinkedHashMap<>();
    return switch (f.kind()) {
      case UNKNOWN_KEY -> plain("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403);
      case BAD_SIGNATURE -> {
        if (d != null && d.stringToSign() != null) {
          extras.put("AWSAccessKeyId", d.accessKeyId());
          extras.put("StringToSign", d.stringToSign());
          extras.put("SignatureProvided", d.signatureProvided());
          extras.put("StringToSignBytes", spacedHex(d.stringToSign()));
          extras.put("CanonicalRequest", d.canonicalRequest());
          extras.put("CanonicalRequestBytes", spacedHex(d.canonicalRequest()));
        }
        yield new AuthError("SignatureDoesNotMatch", S3_SIGNATURE_MISMATCH, 403, java.util.Collections.unmodifiableMap(extras));
      }
      case INCOMPLETE -> plain("AuthorizationHeaderMalformed", or(f.s3Message(), "The authorization header is malformed."), 400);
      case MISSING -> plain("AccessDenied", "Access Denied", 403);
      case EXPIRED -> {
        if (d != null) {
          extras.put("X-Amz-Expires", Long.toString(d.expires()));
          extras.put("Expires", Instant.ofEpochSecond(Times.parseBasic(d.requestTime()) + d.expires()).toString());
          extras.put("ServerTime", Instant.ofEpochSecond(d.serverTime()).toString());
        }
        yield new AuthError("AccessDenied", "Request has expired", 403, java.util.Collections.unmodifiableMap(extras));
      }
      case SKEWED -> {
        if (d != null && d.expires() >= 0) {
          // A presigned URL dated more than 15 minutes ahead; S3 gives X-Amz-Date in epoch milliseconds here.
          long signedAt = Times.parseBasic(d.requestTime());
          extras.put("X-Amz-Date", Long.toString(signedAt * 1000));
          extras.put("Expires", Instant.ofEpochSecond(signedAt + d.expires()).toString());
          extras.put("ServerTime", Instant.ofEpochSecond(d.serverTime()).toString());
          yield new AuthError("AccessDenied", "Request is not yet valid", 403, java.util.Collections.unmodifiableMap(extras));
        }
        if (d != null) {
          extras.put("RequestTime", d.requestTime());
          extras.put("ServerTime", Instant.ofEpochSecond(d.serverTime()).toString());
          extras.put("MaxAllowedSkewMilliseconds", Long.toString(SigV4Verifier.MAX_SKEW_SECONDS * 1000));
        }
        yield new AuthError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
            403, java.util.Collections.unmodifiableMap(extras));
      }
      case EXPIRED_TOKEN -> plain("ExpiredToken", "The provided token has expired.", 400);
    };
  }

  private static AuthError plain(String code, String message, int status) {
    return new AuthError(code, message, status, Map.of());
  }

  private static String or(String message, String fallback) {
    return message != null ? message : fallback;
  }

  /** S3's {@code StringToSignBytes}: each UTF-8 byte as two hex digits, separated by spaces. */
  static String spacedHex(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0) out.append(' ');
      out.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
    }
    return out.toString();
  }
}
