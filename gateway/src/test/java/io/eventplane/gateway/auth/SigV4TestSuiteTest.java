package io.eventplane.gateway.auth;

import static io.eventplane.gateway.auth.TestRequests.SUITE_KEY;
import static io.eventplane.gateway.auth.TestRequests.SUITE_SECRET;
import static io.eventplane.gateway.auth.TestRequests.SUITE_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The published vectors: AWS's SigV4 test suite (aws-sig-v4-test-suite, credentials AKIDEXAMPLE,
 * 2015-08-30T12:36:00Z, us-east-1/service) and the Amazon S3 API Reference's worked examples (GET
 * Object with a Range header; the chunked PUT Object's seed and chunk signatures).
 */
class SigV4TestSuiteTest {
  private static final String SCOPE = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

  private static AuthResult verifySuite(String method, String path, String query, TestRequests.Headers headers,
      String bodySha256) {
    SigV4Verifier verifier = TestRequests.verifier(TestRequests.oneKey(SUITE_KEY, SUITE_SECRET, null), SUITE_TIME);
    return verifier.verify(new SignedRequest(method, path, query, headers, () -> bodySha256), null);
  }

  @Test
  void getVanilla() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "example.amazonaws.com")
        .add("X-Amz-Date", "20150830T123600Z").add("Authorization", "AWS4-HMAC-SHA256 " + SCOPE
            + ", SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    AuthResult result = verifySuite("GET", "/", "", h, Crypto.EMPTY_SHA256);
    assertThat(result).isInstanceOf(Verified.class);
    Verified v = (Verified) result;
    assertThat(v.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(v.region()).isEqualTo("us-east-1");
    assertThat(v.service()).isEqualTo("service");
    assertThat(v.sessionToken()).isNull();
    assertThat(v.key().account()).isEqualTo("123456789012");
    assertThat(v.toString()).doesNotContain(SUITE_SECRET);
  }

  /** The 2011 edition of the suite signs the Date header; the string to sign carries it in ISO 8601 basic form. */
  @Test
  void dateHeaderInsteadOfXAmzDate() {
    TestRequests.Headers h = new TestRequests.Headers().add("Date", "Mon, 09 Sep 2011 23:36:00 GMT")
        .add("Host", "host.foo.com").add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/"
            + "aws4_request, SignedHeaders=date;host, Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470");
    SigV4Verifier verifier = TestRequests.verifier(TestRequests.oneKey(SUITE_KEY, SUITE_SECRET, null),
        Instant.parse("2011-09-09T23:40:00Z"));
    assertThat(verifier.verify(new SignedRequest("GET", "/", "", h, () -> Crypto.EMPTY_SHA256), "host"))
        .isInstanceOf(Verified.class);
  }

  @Test
  void getVanillaQueryOrderKeyCase() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "example.amazonaws.com")
        .add("X-Amz-Date", "20150830T123600Z").add("Authorization", "AWS4-HMAC-SHA256 " + SCOPE
            + ", SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    assertThat(verifySuite("GET", "/", "Param2=value2&Param1=value1", h, Crypto.EMPTY_SHA256)).isInstanceOf(Verified.class);
  }

  @Test
  void postXWwwFormUrlencoded() {
    TestRequests.Headers h = new TestRequests.Headers().add("Content-Type", "application/x-www-form-urlencoded")
        .add("Host", "example.amazonaws.com").add("X-Amz-Date", "20150830T123600Z").add("Authorization", "AWS4-HMAC-SHA256 "
            + SCOPE + ", SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    assertThat(verifySuite("POST", "/", "", h, Crypto.sha256Hex("Param1=value1"))).isInstanceOf(Verified.class);
    // The same request with another body: the body's hash is signed.
    assertThat(verifySuite("POST", "/", "", h, Crypto.sha256Hex("Param1=value2"))).isInstanceOf(AuthFailure.class);
  }

  @Test
  void getHeaderKeyDuplicate() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "example.amazonaws.com")
        .add("My-Header1", "value2").add("My-Header1", "value2").add("My-Header1", "value1")
        .add("X-Amz-Date", "20150830T123600Z").add("Authorization", "AWS4-HMAC-SHA256 " + SCOPE
            + ", SignedHeaders=host;my-header1;x-amz-date, "
            + "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    assertThat(verifySuite("GET", "/", "", h, Crypto.EMPTY_SHA256)).isInstanceOf(Verified.class);
  }

  @Test
  void getUtf8CanonicalUri() {
    assertThat(Canonical.uri("/%E1%88%B4", true)).isEqualTo("/%E1%88%B4");
    assertThat(Canonical.uri("/\u1234", true)).isEqualTo("/%E1%88%B4");
    // Every other service encodes the encoded path again.
    assertThat(Canonical.uri("/\u1234", false)).isEqualTo("/%25E1%2588%25B4");
  }

  @Test
  void s3GetObjectExample() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "examplebucket.s3.amazonaws.com")
        .add("Range", "bytes=0-9").add("x-amz-content-sha256", Crypto.EMPTY_SHA256).add("x-amz-date", "20130524T000000Z")
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    SigV4Verifier verifier = TestRequests.verifier(TestRequests.oneKey("AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null), Instant.parse("2013-05-24T00:05:00Z"));
    assertThat(verifier.verify(new SignedRequest("GET", "/test.txt", "", h, null), "s3")).isInstanceOf(Verified.class);
  }

  @Test
  void s3ChunkedPutObjectExample() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "s3.amazonaws.com")
        .add("x-amz-date", "20130524T000000Z").add("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .add("Content-Encoding", "aws-chunked").add("x-amz-decoded-content-length", "66560")
        .add("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").add("Content-Length", "66824")
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class,"
            + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    SigV4Verifier verifier = TestRequests.verifier(TestRequests.oneKey("AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null), Instant.parse("2013-05-24T00:05:00Z"));
    AuthResult result = verifier.verify(new SignedRequest("PUT", "/examplebucket/chunkObject.txt", "", h, null), "s3");
    assertThat(result).isInstanceOf(Verified.class);
    ChunkSignatures chunks = ((Verified) result).chunkSignatures();
    assertThat(chunks).isNotNull();
    assertThat(chunks.expectsTrailer()).isFalse();
    byte[] first = new byte[65536];
    Arrays.fill(first, (byte) 'a');
    chunks.update(first, 0, 1000);
    chunks.update(first, 1000, first.length - 1000);
    assertThat(chunks.endChunk("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")).isTrue();
    byte[] second = new byte[1024];
    Arrays.fill(second, (byte) 'a');
    chunks.update(second, 0, second.length);
    assertThat(chunks.endChunk("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")).isTrue();
    assertThat(chunks.endChunk("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9")).isTrue();
  }

  @Test
  void aChangedChunkFailsItsSignatureAndBreaksTheChain() {
    TestRequests.Headers h = new TestRequests.Headers().add("Host", "s3.amazonaws.com")
        .add("x-amz-date", "20130524T000000Z").add("x-amz-storage-class", "REDUCED_REDUNDANCY")
        .add("Content-Encoding", "aws-chunked").add("x-amz-decoded-content-length", "66560")
        .add("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD").add("Content-Length", "66824")
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class,"
            + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    SigV4Verifier verifier = TestRequests.verifier(TestRequests.oneKey("AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null), Instant.parse("2013-05-24T00:05:00Z"));
    ChunkSignatures chunks = ((Verified) verifier.verify(new SignedRequest("PUT", "/examplebucket/chunkObject.txt", "",
        h, null), "s3")).chunkSignatures();
    byte[] first = new byte[65536];
    Arrays.fill(first, (byte) 'a');
    first[100] = 'b';
    chunks.update(first, 0, first.length);
    assertThat(chunks.endChunk("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")).isFalse();
    byte[] second = new byte[1024];
    Arrays.fill(second, (byte) 'a');
    chunks.update(second, 0, second.length);
    assertThat(chunks.endChunk("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")).isFalse();
  }

  @Test
  void canonicalQueryAndHeaders() {
    assertThat(Canonical.query("b=2&a=1&a=0&c", false)).isEqualTo("a=0&a=1&b=2&c=");
    assertThat(Canonical.query("a-b=1&a=2", false)).isEqualTo("a=2&a-b=1");
    assertThat(Canonical.query("k=a+b%2b%7e~*", false)).isEqualTo("k=a%20b%2B~~%2A");
    assertThat(Canonical.query("X-Amz-Signature=abc&X-Amz-Date=1", true)).isEqualTo("X-Amz-Date=1");
    TestRequests.Headers h = new TestRequests.Headers().add("My-Header", "  a   b \t c  ").add("My-Header", "d");
    assertThat(Canonical.headers(List.of("my-header"), h)).isEqualTo("my-header:a b c,d\n");
    assertThat(Canonical.removeDotSegments("/a/./b/../c/")).isEqualTo("/a/c/");
    assertThat(Canonical.removeDotSegments("/a/..")).isEqualTo("/");
    assertThat(Canonical.removeDotSegments("//example//")).isEqualTo("/example/");
    assertThat(Canonical.removeDotSegments("/")).isEqualTo("/");
    assertThat(new String(Crypto.hex("x".getBytes(StandardCharsets.UTF_8)))).isEqualTo("78");
  }
}
