package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.s3.AwsChunkedDecoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;

/** S3's decoder of aws-chunked bodies checks each chunk's signature, and the trailer's, with the verifier's chain. */
class ChunkedDecoderSignaturesTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

  /** A body arriving in pieces of a given size. */
  private static final class Source implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> end;

    @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
    @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
    @Override public ReadStream<Buffer> pause() { return this; }
    @Override public ReadStream<Buffer> resume() { return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { return this; }
    @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }

    void send(byte[] body, int piece) {
      for (int i = 0; i < body.length; i += piece) {
        handler.handle(Buffer.buffer(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + piece))));
      }
      end.handle(null);
    }
  }

  private record Outcome(String data, Throwable error, boolean ended) {}

  private static Outcome decode(byte[] body, ChunkSignatures signatures, int piece) {
    Source source = new Source();
    AwsChunkedDecoder decoder = new AwsChunkedDecoder(source, signatures);
    StringBuilder data = new StringBuilder();
    List<Throwable> errors = new ArrayList<>();
    boolean[] ended = {false};
    decoder.exceptionHandler(errors::add);
    decoder.endHandler(v -> ended[0] = true);
    decoder.handler(b -> data.append(b.toString(StandardCharsets.US_ASCII)));
    source.send(body, piece);
    return new Outcome(data.toString(), errors.isEmpty() ? null : errors.get(0), ended[0]);
  }

  private static SdkSigned.Signed chunked(String body, boolean trailer) {
    return SdkSigned.sign("PUT", "http://localhost:4566/b/k", body, "s3", T, false, r -> {
      r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true);
      if (trailer) r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
    });
  }

  private static ChunkSignatures signatures(SdkSigned.Signed signed) {
    AuthResult result = TestRequests.verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, null), T)
        .verify(signed.request(), "s3");
    return ((Verified) result).chunkSignatures();
  }

  @Test
  void signedChunksPassInAnyPieces() {
    String body = "0123456789".repeat(15_000);
    SdkSigned.Signed signed = chunked(body, false);
    for (int piece : new int[] {1 << 20, 8192, 7, 1}) {
      Outcome out = decode(signed.body(), signatures(signed), piece);
      assertThat(out.error()).isNull();
      assertThat(out.ended()).isTrue();
      assertThat(out.data()).isEqualTo(body);
    }
  }

  @Test
  void signedTrailerPasses() {
    String body = "abc".repeat(30_000);
    SdkSigned.Signed signed = chunked(body, true);
    Outcome out = decode(signed.body(), signatures(signed), 4096);
    assertThat(out.error()).isNull();
    assertThat(out.ended()).isTrue();
    assertThat(out.data()).isEqualTo(body);
  }

  @Test
  void aChangedByteFailsTheStream() {
    SdkSigned.Signed signed = chunked("q".repeat(400_000), false);
    byte[] tampered = signed.body().clone();
    int firstData = indexOf(tampered, "\r\n".getBytes(StandardCharsets.US_ASCII)) + 2;
    tampered[firstData + 10] = 'Q';
    Outcome out = decode(tampered, signatures(signed), 8192);
    assertThat(out.error()).isInstanceOf(AwsChunkedDecoder.SignatureMismatch.class);
    assertThat(out.ended()).isFalse();
    // A chunk's bytes stream on before its signature can be checked (S3 writes them to a temporary
    // file that a failed body never publishes), but nothing after the bad chunk does.
    int firstChunkSize = Integer.parseInt(new String(signed.body(), 0, indexOf(signed.body(), ";".getBytes(
        StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII), 16);
    assertThat(firstChunkSize).isLessThan(400_000);
    assertThat(out.data().length()).isLessThanOrEqualTo(firstChunkSize);
  }

  @Test
  void aChangedTrailerFailsTheStream() {
    SdkSigned.Signed signed = chunked("t".repeat(1000), true);
    String text = new String(signed.body(), StandardCharsets.ISO_8859_1);
    int at = text.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
    String forged = text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1);
    Outcome out = decode(forged.getBytes(StandardCharsets.ISO_8859_1), signatures(signed), 100);
    assertThat(out.error()).isInstanceOf(AwsChunkedDecoder.SignatureMismatch.class);
  }

  @Test
  void unsignedDecodingIsUnchanged() {
    SdkSigned.Signed signed = chunked("u".repeat(5000), false);
    Outcome out = decode(signed.body(), null, 333);
    assertThat(out.error()).isNull();
    assertThat(out.data()).isEqualTo("u".repeat(5000));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
