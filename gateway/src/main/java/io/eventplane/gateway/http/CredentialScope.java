package io.eventplane.gateway.http;

import io.eventplane.gateway.query.FormDecoder;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * The access key, region and service a SigV4 signature was made for
 * ({@code Credential=AKID/20240101/us-east-1/sqs/aws4_request}), from the Authorization header or a
 * presigned URL's {@code X-Amz-Credential}: which service and region the client means. In auth mode
 * off it also names the account (a twelve-digit key); otherwise {@link RequestAuth} verifies the
 * signature and the key's own account applies.
 */
record CredentialScope(String accessKeyId, String region, String service) {
  /** Twelve digits: an access key id that names its account, as Eventplane's convention has it. */
  boolean namesAccount() {
    if (accessKeyId.length() != 12) return false;
    for (int i = 0; i < 12; i++) {
      if (accessKeyId.charAt(i) < '0' || accessKeyId.charAt(i) > '9') return false;
    }
    return true;
  }

  static Optional<CredentialScope> of(HttpServerRequest request) {
    Optional<CredentialScope> fromHeader = fromAuthorization(request.getHeader("Authorization"));
    if (fromHeader.isPresent()) return fromHeader;
    try {
      return parse(FormDecoder.decode(request.query()).get("X-Amz-Credential"));
    } catch (FormDecoder.MalformedFormException e) {
      return Optional.empty(); // the Query route reports the malformed query string
    }
  }

  static Optional<CredentialScope> fromAuthorization(String authorization) {
    if (authorization == null) return Optional.empty();
    int at = authorization.indexOf("Credential=");
    if (at < 0) return Optional.empty();
    int start = at + "Credential=".length();
    int end = start;
    while (end < authorization.length() && authorization.charAt(end) != ',' && !Character.isWhitespace(authorization.charAt(end))) {
      end++;
    }
    return parse(authorization.substring(start, end));
  }

  /**
   * {@code AKID/date/region/service/aws4_request}; anything else yields nothing. By index, not by
   * split and regex: this runs for every request.
   */
  static Optional<CredentialScope> parse(String credential) {
    if (credential == null) return Optional.empty();
    int s1 = credential.indexOf('/');
    int s2 = s1 < 0 ? -1 : credential.indexOf('/', s1 + 1);
    int s3 = s2 < 0 ? -1 : credential.indexOf('/', s2 + 1);
    int s4 = s3 < 0 ? -1 : credential.indexOf('/', s3 + 1);
    if (s4 < 0 || !credential.startsWith("aws4_request", s4 + 1)
        || credential.length() != s4 + 1 + "aws4_request".length()) {
      return Optional.empty();
    }
    if (!isName(credential, s2 + 1, s3) || !isName(credential, s3 + 1, s4)) return Optional.empty();
    return Optional.of(new CredentialScope(credential.substring(0, s1), credential.substring(s2 + 1, s3),
        credential.substring(s3 + 1, s4)));
  }

  /** {@code [a-z0-9-]{1,64}} over [from, to). */
  private static boolean isName(String s, int from, int to) {
    int length = to - from;
    if (length < 1 || length > 64) return false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
  }
}
