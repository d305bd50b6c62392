package io.eventplane.gateway.http;

import io.eventplane.gateway.query.FormDecoder;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access key, region and service a SigV4 signature was made for
 * ({@code Credential=AKID/20240101/us-east-1/sqs/aws4_request}), from the Authorization header or a
 * presigned URL's {@code X-Amz-Credential}. Signatures are not verified yet: the scope says which
 * account, region and service the client means.
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

  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

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

  /** {@code AKID/date/region/service/aws4_request}; anything else yields nothing. */
  static Optional<CredentialScope> parse(String credential) {
    if (credential == null) return Optional.empty();
    String[] parts = credential.split("/", -1);
    if (parts.length != 5 || !parts[4].equals("aws4_request")) return Optional.empty();
    if (!NAME.matcher(parts[2]).matches() || !NAME.matcher(parts[3]).matches()) return Optional.empty();
    return Optional.of(new CredentialScope(parts[0], parts[2], parts[3]));
  }
}
