package io.eventplane.gateway.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * A Signature Version 4 signature as a request carries it, in the {@code Authorization} header
 * ({@code AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
 * SignedHeaders=content-type;host;x-amz-date, Signature=5d67...}) or in a presigned URL's query
 * ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-Expires},
 * {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}, {@code X-Amz-Security-Token}). Parsed by
 * index, not regex: this runs for every request.
 *
 * @param date the credential scope's date ({@code yyyyMMdd})
 * @param requestTime X-Amz-Date (or the Date header, in ISO 8601 basic form)
 * @param expires a presigned URL's X-Amz-Expires in seconds; -1 for the header form
 * @param securityToken the session token, or null
 */
public record SignatureParts(boolean presigned, String accessKeyId, String date, String region, String service,
    List<String> signedHeaders, String signature, String requestTime, long expires, String securityToken) {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final long MAX_EXPIRES = 604_800;

  /** The credential scope, {@code date/region/service/aws4_request}. */
  public String scope() {
    return date + '/' + region + '/' + service + "/aws4_request";
  }

  /** The parsed parts, or the failure that says what is wrong with them. */
  sealed interface Parsed permits Ok, Failed {}

  record Ok(SignatureParts parts) implements Parsed {}

  record Failed(AuthFailure failure) implements Parsed {}

  /**
   * The signature a request carries: from its Authorization header when it has one, else from its
   * query string; {@link AuthFailure.Kind#MISSING} when neither has one.
   */
  static Parsed of(SignedRequest request, QueryParams query) {
    String authorization = request.headers().first("authorization");
    if (authorization != null) return fromHeader(authorization, request.headers());
    if (query.get("X-Amz-Algorithm") != null || query.get("X-Amz-Signature") != null
        || query.get("X-Amz-Credential") != null) {
      return fromQuery(query);
    }
    return new Failed(AuthFailure.of(AuthFailure.Kind.MISSING, null));
  }

  static Parsed fromHeader(String header, SignedRequest.Headers headers) {
    int space = header.indexOf(' ');
    String algorithm = (space < 0 ? header : header.substring(0, space)).trim();
    if (!algorithm.equals(ALGORITHM)) {
      // AWS4-ECDSA-P256-SHA256 (SigV4A) and SigV2 headers land here too: not supported (yet).
      return new Failed(AuthFailure.of(AuthFailure.Kind.INCOMPLETE, "Unsupported AWS 'algorithm': '" + algorithm + "'.",
          "InvalidArgument", "Unsupported Authorization Type"));
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    // AWS reads the rest as tokens split at commas and whitespace, each one key=value: spacing
    // around the commas may vary, but "Credential= AKID/..." leaves "AKID/..." as a bad token.
    int n = header.length();
    int at = space < 0 ? n : space + 1;
    while (at < n) {
      char c = header.charAt(at);
      if (c == ',' || c == ' ' || c == '\t') {
        at++;
        continue;
      }
      int end = at;
      while (end < n && header.charAt(end) != ',' && header.charAt(end) != ' ' && header.charAt(end) != '\t') end++;
      int eq = header.indexOf('=', at);
      if (eq < 0 || eq >= end) {
        return new Failed(incomplete("'" + header.substring(at, end) + "' not a valid key=value pair (missing equal-sign) in "
            + "Authorization header: '" + header + "'.", malformedHeader("the Credential is mal-formed; expecting "
            + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")));
      }
      String value = header.substring(eq + 1, end);
      switch (header.substring(at, eq)) {
        case "Credential" -> credential = value;
        case "SignedHeaders" -> signedHeaders = value;
        case "Signature" -> signature = value;
        default -> { }
      }
      at = end;
    }
    String amzDate = headers.first("x-amz-date");
    String requestTime = amzDate != null ? amzDate : Times.fromHttpDate(headers.first("date"));
    StringBuilder missing = new StringBuilder();
    if (credential == null) missing.append("Authorization header requires 'Credential' parameter. ");
    if (signature == null) missing.append("Authorization header requires 'Signature' parameter. ");
    if (signedHeaders == null) missing.append("Authorization header requires 'SignedHeaders' parameter. ");
    if (requestTime == null) {
      missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (missing.length() > 0) {
      return new Failed(incomplete(missing + "Authorization=" + header,
          malformedHeader("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")));
    }
    return parts(false, credential, signedHeaders, signature, requestTime, -1, headers.first("x-amz-security-token"));
  }

  static Parsed fromQuery(QueryParams query) {
    String algorithm = query.get("X-Amz-Algorithm");
    String credential = query.get("X-Amz-Credential");
    String date = query.get("X-Amz-Date");
    String expires = query.get("X-Amz-Expires");
    String signedHeaders = query.get("X-Amz-SignedHeaders");
    String signature = query.get("X-Amz-Signature");
    StringBuilder missing = new StringBuilder();
    if (algorithm == null) missing.append("AWS query-string parameters must include 'X-Amz-Algorithm'. ");
    if (credential == null) missing.append("AWS query-string parameters must include 'X-Amz-Credential'. ");
    if (signature == null) missing.append("AWS query-string parameters must include 'X-Amz-Signature'. ");
    if (signedHeaders == null) missing.append("AWS query-string parameters must include 'X-Amz-SignedHeaders'. ");
    if (date == null) missing.append("AWS query-string parameters must include 'X-Amz-Date'. ");
    String s3Missing = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
        + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";
    if (missing.length() > 0) {
      return new Failed(incomplete(missing + "Re-examine the query-string parameters.", s3Missing));
    }
    if (!algorithm.equals(ALGORITHM)) {
      return new Failed(incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'.",
          "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256\""));
    }
    long seconds;
    if (expires == null) {
      // S3 requires X-Amz-Expires; the other services default it (STS presigned GetCallerIdentity omits it).
      seconds = -2;
    } else {
      seconds = parseSeconds(expires);
      if (seconds == Long.MIN_VALUE) {
        return new Failed(incomplete("X-Amz-Expires should be a number", "X-Amz-Expires should be a number"));
      }
      if (seconds < 0) {
        return new Failed(incomplete("X-Amz-Expires must be non-negative", "X-Amz-Expires must be non-negative"));
      }
      if (seconds > MAX_EXPIRES) {
        return new Failed(incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800"));
      }
    }
    return parts(true, credential, signedHeaders, signature, date, seconds, query.get("X-Amz-Security-Token"));
  }

  private static Parsed parts(boolean presigned, String credential, String signedHeaders, String signature,
      String requestTime, long expires, String token) {
    int s1 = credential.indexOf('/');
    int s2 = s1 < 0 ? -1 : credential.indexOf('/', s1 + 1);
    int s3 = s2 < 0 ? -1 : credential.indexOf('/', s2 + 1);
    int s4 = s3 < 0 ? -1 : credential.indexOf('/', s3 + 1);
    if (s4 < 0 || credential.indexOf('/', s4 + 1) >= 0) {
      String s3Text = "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
      return new Failed(incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
          + "keyid/date/region/service/term, got '" + credential + "'",
          presigned ? "Error parsing the X-Amz-Credential parameter; " + s3Text.substring(4) : malformedHeader(s3Text)));
    }
    String terminator = credential.substring(s4 + 1);
    if (!terminator.equals("aws4_request")) {
      return new Failed(incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '"
          + terminator + "'.", presigned ? "Error parsing the X-Amz-Credential parameter; incorrect terminal. This endpoint "
          + "uses \"aws4_request\"." : malformedHeader("incorrect terminal. This endpoint uses \"aws4_request\".")));
    }
    List<String> names = new ArrayList<>(8);
    int at = 0;
    while (at <= signedHeaders.length()) {
      int semi = signedHeaders.indexOf(';', at);
      int end = semi < 0 ? signedHeaders.length() : semi;
      if (end > at) names.add(signedHeaders.substring(at, end));
      at = end + 1;
    }
    return new Ok(new SignatureParts(presigned, credential.substring(0, s1), credential.substring(s1 + 1, s2),
        credential.substring(s2 + 1, s3), credential.substring(s3 + 1, s4), List.copyOf(names), signature, requestTime,
        expires, token));
  }

  /** IncompleteSignature; S3 says AuthorizationQueryParametersError or AuthorizationHeaderMalformed. */
  private static AuthFailure incomplete(String message, String s3Message) {
    String s3Code = s3Message.startsWith("The authorization header") ? "AuthorizationHeaderMalformed"
        : "AuthorizationQueryParametersError";
    return AuthFailure.of(AuthFailure.Kind.INCOMPLETE, message, s3Code, s3Message);
  }

  static String malformedHeader(String detail) {
    return "The authorization header is malformed; " + detail;
  }

  private static long parseSeconds(String text) {
    if (text.isEmpty() || text.length() > 18) return Long.MIN_VALUE;
    int i = text.charAt(0) == '-' ? 1 : 0;
    if (i == text.length()) return Long.MIN_VALUE;
    long value = 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return Long.MIN_VALUE;
      value = value * 10 + (c - '0');
    }
    return text.charAt(0) == '-' ? -value : value;
  }
}
