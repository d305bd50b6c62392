package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.auth.AuthErrors.AuthError;
import io.eventplane.gateway.auth.AuthErrors.Family;
import io.eventplane.gateway.auth.AuthFailure.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every way a signature is refused, the neutral kind it gets, and what each protocol family answers. */
class SigV4FailuresTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  private static AuthResult verify(SignedRequest request, Instant now, String service) {
    return TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, null), now).verify(request, service);
  }

  private static AuthFailure failure(AuthResult result, Kind kind) {
    assertThat(result).as(() -> String.valueOf(result)).isInstanceOf(AuthFailure.class);
    AuthFailure f = (AuthFailure) result;
    assertThat(f.kind()).isEqualTo(kind);
    return f;
  }

  private static SignedRequest withHeader(SignedRequest r, String name, String value) {
    TestRequests.Headers h = new TestRequests.Headers();
    ((TestRequests.Headers) r.headers()).values.forEach((n, vs) -> vs.forEach(v -> h.add(n, v)));
    if (value == null) h.remove(name);
    else h.set(name, value);
    return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), h, r.bodySha256());
  }

  private static SignedRequest withQuery(SignedRequest r, String query) {
    return new SignedRequest(r.method(), r.rawPath(), query, r.headers(), r.bodySha256());
  }

  private static SignedRequest sqsGet() {
    return SdkSigned.sign("GET", "https://sqs.eu-west-1.amazonaws.com/?Action=ListQueues", null, "sqs", T).request();
  }

  @Test
  void missing() {
    SignedRequest unsigned = new SignedRequest("GET", "/", "Action=ListQueues", new TestRequests.Headers()
        .add("Host", "localhost"), () -> Crypto.EMPTY_SHA256);
    AuthFailure f = failure(verify(unsigned, T, "sqs"), Kind.MISSING);
    assertThat(AuthErrors.of(Family.QUERY, f)).isEqualTo(new AuthError("MissingAuthenticationToken",
        "Request is missing Authentication Token", 403, java.util.Map.of()));
    assertThat(AuthErrors.of(Family.AWS_JSON, f).code()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(AuthErrors.of(Family.AWS_JSON, f).status()).isEqualTo(400);
    assertThat(AuthErrors.of(Family.REST_JSON, f).status()).isEqualTo(403);
    assertThat(AuthErrors.of(Family.S3, f).code()).isEqualTo("AccessDenied");
  }

  @Test
  void headerSpacingIsTolerated() {
    SignedRequest r = sqsGet();
    String header = r.headers().first("authorization");
    assertThat(verify(withHeader(r, "authorization", header.replace(", ", ",")), T, "sqs")).isInstanceOf(Verified.class);
    assertThat(verify(withHeader(r, "authorization", header.replace(", ", " ,   ").replace("AWS4-HMAC-SHA256 ",
        "AWS4-HMAC-SHA256   ")), T, "sqs")).isInstanceOf(Verified.class);
    // Upper-case hex is the same signature.
    String sig = header.substring(header.indexOf("Signature=") + 10);
    assertThat(verify(withHeader(r, "authorization", header.replace(sig, sig.toUpperCase())), T, "sqs"))
        .isInstanceOf(Verified.class);
  }

  @Test
  void incompleteHeader() {
    SignedRequest r = sqsGet();
    String header = r.headers().first("authorization");
    String noSignature = header.substring(0, header.indexOf(", Signature="));
    AuthFailure f = failure(verify(withHeader(r, "authorization", noSignature), T, "sqs"), Kind.INCOMPLETE);
    assertThat(f.message()).isEqualTo("Authorization header requires 'Signature' parameter. Authorization=" + noSignature);
    AuthError query = AuthErrors.of(Family.QUERY, f);
    assertThat(query.code()).isEqualTo("IncompleteSignature");
    assertThat(query.status()).isEqualTo(400);
    assertThat(AuthErrors.of(Family.AWS_JSON, f).code()).isEqualTo("IncompleteSignatureException");
    assertThat(AuthErrors.of(Family.S3, f).code()).isEqualTo("AuthorizationHeaderMalformed");

    AuthFailure nothing = failure(verify(withHeader(r, "authorization", "AWS4-HMAC-SHA256"), T, "sqs"), Kind.INCOMPLETE);
    assertThat(nothing.message()).isEqualTo("Authorization header requires 'Credential' parameter. Authorization header "
        + "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization="
        + "AWS4-HMAC-SHA256");

    AuthFailure spaced = failure(verify(withHeader(r, "authorization", header.replace("Credential=", "Credential= ")), T,
        "sqs"), Kind.INCOMPLETE);
    assertThat(spaced.message()).startsWith("'" + SdkSigned.KEY + "/20261205/eu-west-1/sqs/aws4_request' not a valid "
        + "key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= ");

    AuthFailure noDate = failure(verify(withHeader(r, "x-amz-date", null), T, "sqs"), Kind.INCOMPLETE);
    assertThat(noDate.message()).startsWith(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=");

    AuthFailure badCredential = failure(verify(withHeader(r, "authorization", header.replace("/eu-west-1/sqs/", "/sqs/")), T,
        "sqs"), Kind.INCOMPLETE);
    assertThat(badCredential.message()).startsWith("Credential must have exactly 5 slash-delimited elements");

    AuthFailure algorithm = failure(verify(withHeader(r, "authorization", header.replace("AWS4-HMAC-SHA256",
        "AWS4-ECDSA-P256-SHA256")), T, "sqs"), Kind.INCOMPLETE);
    assertThat(AuthErrors.of(Family.S3, algorithm)).isEqualTo(new AuthError("InvalidArgument", "Unsupported Authorization Type",
        400, java.util.Map.of()));

    AuthFailure terminator = failure(verify(withHeader(r, "authorization", header.replace("aws4_request", "aws5_request")), T,
        "sqs"), Kind.INCOMPLETE);
    assertThat(terminator.message()).isEqualTo("Credential should be scoped with a valid terminator: 'aws4_request', not "
        + "'aws5_request'.");
  }

  @Test
  void hostMustBeSigned() {
    SignedRequest r = sqsGet();
    String header = r.headers().first("authorization");
    AuthFailure f = failure(verify(withHeader(r, "authorization", header.replace("SignedHeaders=host;", "SignedHeaders=")), T,
        "sqs"), Kind.INCOMPLETE);
    assertThat(f.message()).isEqualTo("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  @Test
  void incompletePresigned() {
    SignedRequest r = SdkSigned.presign("GET", "https://localhost/b/k", "s3", T, Duration.ofHours(1), false).request();
    String query = r.rawQuery();
    String noSignature = query.replaceAll("&?X-Amz-Signature=[0-9a-f]+", "");
    AuthFailure f = failure(verify(withQuery(r, noSignature), T, "s3"), Kind.INCOMPLETE);
    assertThat(f.message()).isEqualTo("AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the "
        + "query-string parameters.");
    assertThat(AuthErrors.of(Family.S3, f)).isEqualTo(new AuthError("AuthorizationQueryParametersError",
        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
            + "X-Amz-SignedHeaders, and X-Amz-Expires parameters.", 400, java.util.Map.of()));
    AuthFailure tooLong = failure(verify(withQuery(r, query.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801")), T, "s3"),
        Kind.INCOMPLETE);
    assertThat(tooLong.s3Message()).isEqualTo("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    assertThat(failure(verify(withQuery(r, query.replace("X-Amz-Expires=3600", "X-Amz-Expires=abc")), T, "s3"),
        Kind.INCOMPLETE).s3Message()).isEqualTo("X-Amz-Expires should be a number");
    assertThat(failure(verify(withQuery(r, query.replace("X-Amz-Expires=3600", "X-Amz-Expires=-1")), T, "s3"),
        Kind.INCOMPLETE).s3Message()).isEqualTo("X-Amz-Expires must be non-negative");
    assertThat(AuthErrors.of(Family.S3, failure(verify(withQuery(r, query.replace("X-Amz-Expires=3600&", "")), T, "s3"),
        Kind.INCOMPLETE)).code()).isEqualTo("AuthorizationQueryParametersError");
  }

  @Test
  void presignedWithoutExpiresOutsideS3LastsFifteenMinutes() {
    SignedRequest r = SdkSigned.presign("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "sts", T, Duration.ofMinutes(15), false).request();
    String query = r.rawQuery().replaceAll("X-Amz-Expires=900&?", "");
    assertThat(query).doesNotContain("X-Amz-Expires");
    // The signature covered X-Amz-Expires, so only the time check is of interest: it comes first.
    failure(verify(withQuery(r, query), T.plusSeconds(901), "sts"), Kind.SKEWED);
    failure(verify(withQuery(r, query), T.plusSeconds(60), "sts"), Kind.BAD_SIGNATURE);
  }

  @Test
  void unknownKey() {
    SignedRequest r = sqsGet();
    AuthResult result = TestRequests.verifier(TestRequests.oneKey("AKIAOTHERKEY00000000", SdkSigned.SECRET, null), T)
        .verify(r, "sqs");
    AuthFailure f = failure(result, Kind.UNKNOWN_KEY);
    assertThat(AuthErrors.of(Family.QUERY, f)).isEqualTo(new AuthError("InvalidClientTokenId",
        "The security token included in the request is invalid.", 403, java.util.Map.of()));
    assertThat(AuthErrors.of(Family.AWS_JSON, f)).isEqualTo(new AuthError("UnrecognizedClientException",
        "The security token included in the request is invalid.", 400, java.util.Map.of()));
    assertThat(AuthErrors.of(Family.REST_JSON, f).status()).isEqualTo(403);
    assertThat(AuthErrors.of(Family.SQS_JSON, f).code()).isEqualTo("InvalidClientTokenId");
    assertThat(AuthErrors.of(Family.S3, f)).isEqualTo(new AuthError("InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.", 403, java.util.Map.of()));
  }

  @Test
  void badSignature() {
    SignedRequest r = sqsGet();
    AuthResult wrongSecret = TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, "another-secret", null), T)
        .verify(r, "sqs");
    AuthFailure f = failure(wrongSecret, Kind.BAD_SIGNATURE);
    assertThat(AuthErrors.of(Family.QUERY, f)).isEqualTo(new AuthError("SignatureDoesNotMatch", AuthErrors.SIGNATURE_MISMATCH,
        403, java.util.Map.of()));
    assertThat(AuthErrors.of(Family.AWS_JSON, f).code()).isEqualTo("InvalidSignatureException");
    // A changed query, header or method is another request.
    failure(verify(withQuery(r, "Action=DeleteQueue"), T, "sqs"), Kind.BAD_SIGNATURE);
    failure(verify(new SignedRequest("POST", r.rawPath(), r.rawQuery(), r.headers(), r.bodySha256()), T, "sqs"),
        Kind.BAD_SIGNATURE);
    failure(verify(withHeader(r, "host", "evil.example.com"), T, "sqs"), Kind.BAD_SIGNATURE);
  }

  @Test
  void s3BadSignatureEchoesWhatWasSigned() {
    SignedRequest r = SdkSigned.sign("PUT", "http://localhost:4566/b/k%20x", "data", "s3", T).request();
    AuthFailure f = failure(verify(withQuery(r, "acl"), T, "s3"), Kind.BAD_SIGNATURE);
    AuthError e = AuthErrors.of(Family.S3, f);
    assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
    assertThat(e.message()).isEqualTo("The request signature we calculated does not match the signature you provided. "
        + "Check your key and signing method.");
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.extras().keySet()).containsExactly("AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes",
        "CanonicalRequest", "CanonicalRequestBytes");
    assertThat(e.extras().get("CanonicalRequest")).startsWith("PUT\n/b/k%20x\nacl=\n");
    assertThat(e.extras().get("StringToSign")).startsWith("AWS4-HMAC-SHA256\n20261205T100000Z\n20261205/eu-west-1/s3/");
    assertThat(e.extras().get("StringToSignBytes")).startsWith("41 57 53 34");
  }

  @Test
  void wrongServiceOrScopeDate() {
    SignedRequest r = sqsGet();
    AuthFailure service = failure(verify(r, T, "sns"), Kind.BAD_SIGNATURE);
    assertThat(AuthErrors.of(Family.QUERY, service).message()).isEqualTo("Credential should be scoped to correct service: "
        + "'sns'. ");
    String header = r.headers().first("authorization");
    AuthFailure date = failure(verify(withHeader(r, "authorization", header.replace("/20261205/", "/20261204/")), T, "sqs"),
        Kind.BAD_SIGNATURE);
    assertThat(date.message()).isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
        + "from HTTP: '20261204' != '20261205', from '20261205T100000Z'.");
    assertThat(AuthErrors.of(Family.S3, date)).isEqualTo(new AuthError("AuthorizationHeaderMalformed",
        "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.", 400,
        java.util.Map.of()));
  }

  @Test
  void bodyHashIsNeededWhenNotDeclared() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "example.amazonaws.com")
        .add("X-Amz-Date", "20150830T123600Z").add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
            + "us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    AuthResult result = TestRequests.verifier(TestRequests.oneKey(TestRequests.SUITE_KEY, TestRequests.SUITE_SECRET, null),
        TestRequests.SUITE_TIME).verify(new SignedRequest("GET", "/", "", h, null), null);
    failure(result, Kind.BAD_SIGNATURE);
  }

  @Test
  void skewed() {
    SignedRequest r = sqsGet();
    assertThat(verify(r, T.plusSeconds(900), "sqs")).isInstanceOf(Verified.class);
    assertThat(verify(r, T.minusSeconds(900), "sqs")).isInstanceOf(Verified.class);
    AuthFailure late = failure(verify(r, T.plusSeconds(901), "sqs"), Kind.SKEWED);
    assertThat(late.message()).isEqualTo("Signature expired: 20261205T100000Z is now earlier than 20261205T100001Z "
        + "(20261205T101501Z - 15 min.)");
    assertThat(AuthErrors.of(Family.QUERY, late).code()).isEqualTo("SignatureDoesNotMatch");
    assertThat(AuthErrors.of(Family.AWS_JSON, late).code()).isEqualTo("InvalidSignatureException");
    AuthFailure early = failure(verify(r, T.minusSeconds(901), "sqs"), Kind.SKEWED);
    assertThat(early.message()).isEqualTo("Signature not yet current: 20261205T100000Z is still later than 20261205T095959Z "
        + "(20261205T094459Z + 15 min.)");
    AuthError s3 = AuthErrors.of(Family.S3, late);
    assertThat(s3.code()).isEqualTo("RequestTimeTooSkewed");
    assertThat(s3.status()).isEqualTo(403);
    assertThat(s3.extras()).containsEntry("RequestTime", "20261205T100000Z").containsEntry("ServerTime", "2026-12-05T10:15:01Z")
        .containsEntry("MaxAllowedSkewMilliseconds", "900000");
  }

  @Test
  void presignedExpiredOrNotYetValid() {
    SignedRequest r = SdkSigned.presign("GET", "https://localhost/b/k", "s3", T, Duration.ofHours(1), false).request();
    AuthFailure expired = failure(verify(r, T.plusSeconds(3601), "s3"), Kind.EXPIRED);
    AuthError s3 = AuthErrors.of(Family.S3, expired);
    assertThat(s3.code()).isEqualTo("AccessDenied");
    assertThat(s3.message()).isEqualTo("Request has expired");
    assertThat(s3.extras()).containsEntry("X-Amz-Expires", "3600").containsEntry("Expires", "2026-12-05T11:00:00Z")
        .containsEntry("ServerTime", "2026-12-05T11:00:01Z");
    AuthFailure early = failure(verify(r, T.minusSeconds(901), "s3"), Kind.SKEWED);
    AuthError notYet = AuthErrors.of(Family.S3, early);
    assertThat(notYet.code()).isEqualTo("AccessDenied");
    assertThat(notYet.message()).isEqualTo("Request is not yet valid");
    assertThat(notYet.extras()).containsEntry("X-Amz-Date", Long.toString(T.toEpochMilli()))
        .containsEntry("Expires", "2026-12-05T11:00:00Z").containsEntry("ServerTime", "2026-12-05T09:44:59Z");
    assertThat(AuthErrors.of(Family.QUERY, early).message()).startsWith("Signature not yet current: 20261205T100000Z");
  }

  @Test
  void expiredToken() {
    SignedRequest r = SdkSigned.sign("GET", "https://sqs.eu-west-1.amazonaws.com/", null, "sqs", T, true, x -> { }).request();
    assertThat(r.headers().first("x-amz-security-token")).isEqualTo(SdkSigned.TOKEN);
    KeyLookup expiring = (id, token, now) -> now > T.getEpochSecond() + 60 ? KeyLookup.EXPIRED_TOKEN
        : new KeyLookup.Found(id, SdkSigned.SECRET, "123456789012", "arn:aws:sts::123456789012:assumed-role/r/s");
    assertThat(TestRequests.verifier(expiring, T).verify(r, "sqs")).isInstanceOf(Verified.class);
    AuthFailure f = failure(TestRequests.verifier(expiring, T.plusSeconds(61)).verify(r, "sqs"), Kind.EXPIRED_TOKEN);
    assertThat(AuthErrors.of(Family.QUERY, f)).isEqualTo(new AuthError("ExpiredToken",
        "The security token included in the request is expired", 403, java.util.Map.of()));
    assertThat(AuthErrors.of(Family.AWS_JSON, f).code()).isEqualTo("ExpiredTokenException");
    assertThat(AuthErrors.of(Family.S3, f)).isEqualTo(new AuthError("ExpiredToken", "The provided token has expired.", 400,
        java.util.Map.of()));
    // A session token that the lookup does not know is an unknown key.
    failure(TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, "another-token"), T).verify(r, "sqs"),
        Kind.UNKNOWN_KEY);
  }
}
