package io.eventplane.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Signs requests with the AWS SDK for Java v2's own SigV4 signer and hands them over as the verifier sees them. */
final class SdkSigned {
  static final String KEY = "AKIAEVENTPLANETEST01";
  static final String SECRET = "abcdEFGH/ijkl+MNOP0123456789qrstUVWXyz01";
  static final String TOKEN = "FwoGZXIvYXdzEXAMPLEsessiontoken/with+odd=chars";

  private SdkSigned() {}

  /** A request as signed: its parts for the verifier and its (possibly chunk-encoded) body. */
  record Signed(SignedRequest request, byte[] body, SdkHttpRequest sdk) {}

  static Signed sign(String method, String uri, String body, String service, Instant at, boolean session,
      Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
    return sign(method, uri, body, service, at, session, java.util.Map.of(), extra);
  }

  static Signed sign(String method, String uri, String body, String service, Instant at, boolean session,
      java.util.Map<String, String> extraHeaders, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
    URI u = URI.create(uri);
    SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(u);
    extraHeaders.forEach(http::putHeader);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) http.putHeader("Content-Length", Integer.toString(bytes.length));
    AwsCredentialsIdentity identity = session ? AwsSessionCredentialsIdentity.create(KEY, SECRET, TOKEN)
        : AwsCredentialsIdentity.create(KEY, SECRET);
    boolean s3 = service.equals("s3");
    var signed = AwsV4HttpSigner.create().sign(r -> {
      r.identity(identity).request(http.build())
          .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
          .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, !s3)
          .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, !s3)
          .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
      if (body != null) r.payload(ContentStreamProvider.fromByteArray(bytes));
      extra.accept(r);
    });
    SdkHttpRequest out = signed.request();
    byte[] sent = signed.payload().map(SdkSigned::read).orElse(new byte[0]);
    TestRequests.Headers headers = TestRequests.headers(out.headers());
    if (headers.all("host").isEmpty()) headers.add("host", out.host() + (out.port() == 443 || out.port() == 80 ? "" : ":" + out.port()));
    String query = out.encodedQueryParameters().orElse("");
    String bodyHash = Crypto.hex(Crypto.newSha256().digest(sent));
    return new Signed(new SignedRequest(method, out.encodedPath(), query, headers, () -> bodyHash), sent, out);
  }

  static Signed sign(String method, String uri, String body, String service, Instant at) {
    return sign(method, uri, body, service, at, false, r -> { });
  }

  static Signed presign(String method, String uri, String service, Instant at, Duration expires, boolean session) {
    return sign(method, uri, null, service, at, session, r -> r
        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !service.equals("s3")));
  }

  private static byte[] read(ContentStreamProvider provider) {
    try (InputStream in = provider.newStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
