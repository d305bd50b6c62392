package io.eventplane.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Checks the chunk signatures of an S3 {@code aws-chunked} body signed
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} (Amazon S3 API Reference, "Signature Calculations for
 * the Authorization Header: Transferring Payload in Multiple Chunks") and the trailer signature of
 * the {@code -TRAILER} variant ("Signature calculations for trailing headers"). Each chunk's
 * signature chains from the previous one, starting at the request's (seed) signature:
 * <pre>
 * AWS4-HMAC-SHA256-PAYLOAD \n time \n scope \n previous-signature \n SHA256("") \n SHA256(chunk-data)
 * </pre>
 * and the final zero-length chunk is signed the same way. The trailer's string to sign is
 * {@code AWS4-HMAC-SHA256-TRAILER \n time \n scope \n previous-signature \n SHA256(trailer headers)}.
 *
 * <p>Driven by the body decoder ({@code s3/AwsChunkedDecoder}): {@link #update} with each piece of
 * a chunk's data as it streams, {@link #endChunk} with the {@code chunk-signature} its header
 * carried, then {@link #verifyTrailer}. One instance per request body, one thread at a time.
 */
public final class ChunkSignatures {
  static final String SIGNED_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  static final String SIGNED_PAYLOAD_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";

  private final byte[] signingKey;
  private final String prefix;
  private final boolean trailer;
  private final MessageDigest digest = Crypto.newSha256();
  private String previous;

  ChunkSignatures(byte[] signingKey, String requestTime, String scope, String seedSignature, boolean trailer) {
    this.signingKey = signingKey;
    this.prefix = requestTime + '\n' + scope + '\n';
    this.previous = seedSignature;
    this.trailer = trailer;
  }

  /** Whether the body ends with trailing headers signed by {@code x-amz-trailer-signature}. */
  public boolean expectsTrailer() {
    return trailer;
  }

  /** Feeds a piece of the current chunk's data. */
  public void update(byte[] bytes, int offset, int length) {
    digest.update(bytes, offset, length);
  }

  /** Feeds a piece of the current chunk's data. */
  public void update(ByteBuffer bytes) {
    digest.update(bytes);
  }

  /**
   * Ends the current chunk (the zero-length final chunk too) and says whether its
   * {@code chunk-signature} is the one its data and the chain give; the chain moves on either way.
   */
  public boolean endChunk(String chunkSignature) {
    String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + prefix + previous + '\n' + Crypto.EMPTY_SHA256 + '\n'
        + Crypto.hex(digest.digest());
    previous = Crypto.hex(Crypto.hmac(signingKey, stringToSign));
    return Crypto.signatureMatches(previous, chunkSignature);
  }

  /**
   * Whether {@code x-amz-trailer-signature} signs these trailing headers (in the order sent, names
   * lower-case, the signature's own header left out), chained from the final chunk's signature.
   */
  public boolean verifyTrailer(Map<String, String> trailers, String trailerSignature) {
    StringBuilder canonical = new StringBuilder(64);
    for (Map.Entry<String, String> e : trailers.entrySet()) {
      if (e.getKey().equals("x-amz-trailer-signature")) continue;
      canonical.append(e.getKey()).append(':').append(e.getValue().trim()).append('\n');
    }
    MessageDigest trailerDigest = Crypto.newSha256();
    String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + prefix + previous + '\n'
        + Crypto.hex(trailerDigest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    return Crypto.signatureMatches(Crypto.hex(Crypto.hmac(signingKey, stringToSign)), trailerSignature);
  }
}
