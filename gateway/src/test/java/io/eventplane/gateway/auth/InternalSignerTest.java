package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.secret.InternalSigner;
import io.eventplane.common.secret.TemporaryCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The services' own S3 requests to the gateway (Lambda's package download, Firehose's and
 * CloudTrail's deliveries) carry signatures the gateway's verifier accepts, as the named account's
 * root, on any node holding the same credentials key; a request changed after signing is refused.
 */
class InternalSignerTest {
  private static final byte[] KEY = new byte[32];
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T21:00:00Z"), ZoneOffset.UTC);

  private static AuthResult verify(String method, URI uri, Map<String, String> headers, byte[] key, Clock at) {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
    lower.put("host", uri.getRawAuthority());
    TemporaryCredentialSource source = new TemporaryCredentialSource(new TemporaryCredentials(key));
    return new SigV4Verifier(source::lookup, new SigningKeys(16), at).verify(new SignedRequest(method, uri.getRawPath(),
        uri.getRawQuery(), name -> lower.containsKey(name) ? List.of(lower.get(name)) : List.of(), () -> null), "s3");
  }

  @Test
  void theGatewayVerifiesWhatTheServicesSign() {
    InternalSigner signer = new InternalSigner(KEY, NOW);
    URI get = URI.create("http://127.0.0.1:4566/code%20bucket/functions/a%2Bb.zip?versionId=3%2F4&x=1");
    AuthResult result = verify("GET", get, signer.s3Headers("GET", get, "123456789012", "eu-west-1"), KEY, NOW);
    assertThat(result).isInstanceOfSatisfying(Verified.class, v -> {
      assertThat(v.key().account()).isEqualTo("123456789012");
      assertThat(v.key().principalArn()).isEqualTo("arn:aws:iam::123456789012:root");
      assertThat(v.region()).isEqualTo("eu-west-1");
    });

    URI put = URI.create("http://127.0.0.1:4566/logs/AWSLogs/000000000000/trail.json.gz");
    Map<String, String> headers = signer.s3Headers("PUT", put, "000000000000", "us-east-1");
    assertThat(verify("PUT", put, headers, KEY, NOW)).isInstanceOf(Verified.class);
    assertThat(verify("PUT", URI.create("http://127.0.0.1:4566/logs/other-key"), headers, KEY, NOW))
        .as("another object").isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.kind()).isEqualTo(AuthFailure.Kind.BAD_SIGNATURE));
    byte[] otherKey = new byte[32];
    otherKey[0] = 7;
    assertThat(verify("PUT", put, headers, otherKey, NOW)).as("a node with another credentials key")
        .isInstanceOfSatisfying(AuthFailure.class, f -> assertThat(f.kind()).isEqualTo(AuthFailure.Kind.UNKNOWN_KEY));
    assertThat(verify("PUT", put, headers, KEY, Clock.offset(NOW, Duration.ofMinutes(16)))).as("skew is checked")
        .isInstanceOf(AuthFailure.class);
  }

  @Test
  void aSessionIsReusedUntilItNearsItsEndThenRenewed() {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW.instant());
    Clock moving = new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    InternalSigner signer = new InternalSigner(KEY, moving);
    URI uri = URI.create("http://127.0.0.1:4566/b/k");
    String first = signer.s3Headers("GET", uri, "000000000000", "us-east-1").get("x-amz-security-token");
    assertThat(signer.s3Headers("GET", uri, "000000000000", "us-east-1").get("x-amz-security-token")).isEqualTo(first);
    now.set(NOW.instant().plus(Duration.ofHours(11).plusMinutes(1)));
    Map<String, String> renewed = signer.s3Headers("GET", uri, "000000000000", "us-east-1");
    assertThat(renewed.get("x-amz-security-token")).isNotEqualTo(first);
    assertThat(verify("GET", uri, renewed, KEY, moving)).isInstanceOf(Verified.class);
  }
}
