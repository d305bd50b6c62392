package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;

/**
 * What the AWS SDK for Java v2's signer produces, the verifier accepts: every form the SDKs send
 * (header, presigned, signed and unsigned payloads, chunked uploads with and without trailers,
 * session tokens), for S3's single-encoded paths and the other services' double-encoded ones.
 */
class SdkSignerRoundTripTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  private static AuthResult verify(SdkSigned.Signed signed, Instant now, String service) {
    return TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, null), now)
        .verify(signed.request(), service);
  }

  private static Verified verified(SdkSigned.Signed signed, String service) {
    AuthResult result = verify(signed, T.plusSeconds(30), service);
    assertThat(result).as(() -> String.valueOf(result)).isInstanceOf(Verified.class);
    return (Verified) result;
  }

  @Test
  void getWithQuery() {
    Verified v = verified(SdkSigned.sign("GET", "https://sqs.eu-west-1.amazonaws.com/?Action=ListQueues&Version=2012-11-05"
        + "&QueueNamePrefix=a%20b%2Bc", null, "sqs", T), "sqs");
    assertThat(v.region()).isEqualTo("eu-west-1");
    assertThat(v.service()).isEqualTo("sqs");
  }

  @Test
  void postQueryForm() {
    verified(SdkSigned.sign("POST", "https://sns.eu-west-1.amazonaws.com/", "Action=ListTopics&Version=2010-03-31", "sns", T),
        "sns");
  }

  @Test
  void sqsJson() {
    SdkSigned.Signed signed = SdkSigned.sign("POST", "http://localhost:4566/", "{\"QueueName\":\"orders\"}", "sqs", T, false,
        Map.of("X-Amz-Target", "AmazonSQS.CreateQueue", "Content-Type", "application/x-amz-json-1.0"), r -> { });
    assertThat(signed.request().headers().first("authorization")).contains("x-amz-target");
    verified(signed, "sqs");
  }

  @Test
  void lambdaPathIsDoubleEncoded() {
    verified(SdkSigned.sign("POST", "http://localhost:4566/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012"
        + "%3Afunction%3Amy-fn/invocations", "{}", "lambda", T), "lambda");
    verified(SdkSigned.sign("GET", "http://localhost:4566/a/./b/../c//d%20e", null, "execute-api", T), "execute-api");
  }

  @Test
  void s3PathsWithSpacesAndUnicodeAreSingleEncoded() {
    verified(SdkSigned.sign("PUT", "http://localhost:4566/my-bucket/a%20key%20with%20spaces/%C3%A9t%C3%A9%E2%82%AC%F0%9F%98%80"
        + ".txt", "hello", "s3", T), "s3");
    verified(SdkSigned.sign("GET", "http://localhost:4566/my-bucket/a/./b/../c%2Bd%3D%21%2A%27%28%29?list-type=2"
        + "&prefix=a%2Fb&delimiter=%2F", null, "s3", T), "s3");
  }

  @Test
  void s3UnsignedPayload() {
    SdkSigned.Signed signed = SdkSigned.sign("PUT", "https://localhost:4566/b/k", "body", "s3", T, false,
        r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    assertThat(signed.request().headers().first("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
    Verified v = verified(signed, "s3");
    assertThat(v.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
    assertThat(v.chunkSignatures()).isNull();
  }

  @Test
  void sessionTokenIsReturnedAndSigned() {
    SdkSigned.Signed signed = SdkSigned.sign("POST", "https://sts.amazonaws.com/", "Action=GetCallerIdentity&Version=2011-06-15",
        "sts", T, true, r -> { });
    AuthResult result = TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, SdkSigned.TOKEN),
        T.plusSeconds(30)).verify(signed.request(), "sts");
    assertThat(result).isInstanceOf(Verified.class);
    assertThat(((Verified) result).sessionToken()).isEqualTo(SdkSigned.TOKEN);
  }

  @Test
  void presignedS3Get() {
    SdkSigned.Signed signed = SdkSigned.presign("GET", "http://localhost:4566/my-bucket/photos/a%20b%20%C3%A9.jpg"
        + "?response-content-type=image%2Fjpeg", "s3", T, Duration.ofHours(1), false);
    assertThat(signed.request().rawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=3600");
    verified(signed, "s3");
    assertThat(verify(signed, T.plusSeconds(3600), "s3")).isInstanceOf(Verified.class);
    assertThat(verify(signed, T.minusSeconds(899), "s3")).isInstanceOf(Verified.class);
  }

  @Test
  void presignedWithSessionTokenAndOtherService() {
    SdkSigned.Signed signed = SdkSigned.presign("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "sts", T, Duration.ofMinutes(15), true);
    assertThat(signed.request().rawQuery()).contains("X-Amz-Security-Token=");
    AuthResult result = TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, SdkSigned.TOKEN),
        T.plusSeconds(30)).verify(signed.request(), "sts");
    assertThat(result).isInstanceOf(Verified.class);
    assertThat(((Verified) result).sessionToken()).isEqualTo(SdkSigned.TOKEN);
  }

  @Test
  void presignedSevenDaysIsTheMaximum() {
    SdkSigned.Signed signed = SdkSigned.presign("PUT", "http://localhost:4566/b/k", "s3", T, Duration.ofSeconds(604800), false);
    assertThat(verify(signed, T.plusSeconds(604800), "s3")).isInstanceOf(Verified.class);
  }

  @Test
  void chunkedUploadWithChunkSignatures() {
    String body = "x".repeat(200_000);
    SdkSigned.Signed signed = SdkSigned.sign("PUT", "http://localhost:4566/b/big%20file", body, "s3", T, false,
        r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
    assertThat(signed.request().headers().first("x-amz-content-sha256")).isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    ChunkSignatures chunks = verified(signed, "s3").chunkSignatures();
    assertThat(chunks).isNotNull();
    assertThat(chunks.expectsTrailer()).isFalse();
    Decoded decoded = decode(signed.body(), chunks);
    assertThat(decoded.allChunksGood).isTrue();
    assertThat(decoded.chunks).isGreaterThan(2);
    assertThat(decoded.data).isEqualTo(body);
  }

  @Test
  void chunkedUploadWithSignedTrailer() {
    String body = "y".repeat(70_000);
    SdkSigned.Signed signed = SdkSigned.sign("PUT", "http://localhost:4566/b/k", body, "s3", T, false,
        r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
            .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
    assertThat(signed.request().headers().first("x-amz-content-sha256"))
        .isEqualTo("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    ChunkSignatures chunks = verified(signed, "s3").chunkSignatures();
    assertThat(chunks.expectsTrailer()).isTrue();
    Decoded decoded = decode(signed.body(), chunks);
    assertThat(decoded.allChunksGood).isTrue();
    assertThat(decoded.trailers).containsKey("x-amz-checksum-crc32").containsKey("x-amz-trailer-signature");
    assertThat(decoded.trailerGood).isTrue();

    // A trailer changed on the way fails its signature.
    ChunkSignatures again = verified(signed, "s3").chunkSignatures();
    Decoded replay = decode(signed.body(), again);
    Map<String, String> forged = new LinkedHashMap<>(replay.trailers);
    forged.put("x-amz-checksum-crc32", "AAAAAA==");
    ChunkSignatures third = verified(signed, "s3").chunkSignatures();
    decode(signed.body(), third);
    assertThat(third.verifyTrailer(forged, forged.get("x-amz-trailer-signature"))).isFalse();
  }

  @Test
  void unsignedChunkedUploadHasNoChunkSignatures() {
    SdkSigned.Signed signed = SdkSigned.sign("PUT", "https://localhost:4566/b/k", "z".repeat(1000), "s3", T, false,
        r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
            .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
    assertThat(signed.request().headers().first("x-amz-content-sha256")).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertThat(verified(signed, "s3").chunkSignatures()).isNull();
  }

  @Test
  void signingKeysAreDerivedOncePerScope() {
    SigningKeys keys = new SigningKeys(16);
    SigV4Verifier verifier = new SigV4Verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, null), keys,
        TestRequests.clockAt(T));
    for (int i = 0; i < 5; i++) {
      assertThat(verifier.verify(SdkSigned.sign("GET", "https://sqs.eu-west-1.amazonaws.com/?n=" + i, null, "sqs", T)
          .request(), "sqs")).isInstanceOf(Verified.class);
    }
    assertThat(verifier.verify(SdkSigned.sign("GET", "https://sns.eu-west-1.amazonaws.com/", null, "sns", T).request(), "sns"))
        .isInstanceOf(Verified.class);
    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.key("k#1", SdkSigned.SECRET, "20261205", "eu-west-1", "sqs"))
        .isEqualTo(SigningKeys.derive(SdkSigned.SECRET, "20261205", "eu-west-1", "sqs"));
  }

  /** The decoded aws-chunked body, checked chunk by chunk as a decoder would. */
  static final class Decoded {
    boolean allChunksGood = true;
    boolean trailerGood;
    int chunks;
    String data = "";
    final Map<String, String> trailers = new LinkedHashMap<>();
  }

  static Decoded decode(byte[] body, ChunkSignatures signatures) {
    Decoded out = new Decoded();
    StringBuilder data = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = indexOfCrlf(body, at);
      String header = new String(body, at, eol - at, StandardCharsets.US_ASCII);
      at = eol + 2;
      int semi = header.indexOf(';');
      int size = Integer.parseInt(semi < 0 ? header : header.substring(0, semi), 16);
      String signature = header.substring(header.indexOf("chunk-signature=") + "chunk-signature=".length());
      signatures.update(body, at, size);
      data.append(new String(body, at, size, StandardCharsets.US_ASCII));
      at += size;
      out.chunks++;
      out.allChunksGood &= signatures.endChunk(signature);
      if (size == 0) break;
      at += 2;
    }
    while (at < body.length) {
      int eol = indexOfCrlf(body, at);
      if (eol == at) break;
      String line = new String(body, at, eol - at, StandardCharsets.US_ASCII);
      int colon = line.indexOf(':');
      out.trailers.put(line.substring(0, colon), line.substring(colon + 1));
      at = eol + 2;
    }
    if (!out.trailers.isEmpty()) {
      out.trailerGood = signatures.verifyTrailer(out.trailers, out.trailers.get("x-amz-trailer-signature"));
    }
    out.data = data.toString();
    return out;
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') return i;
    }
    throw new IllegalStateException("no CRLF after " + from);
  }
}
