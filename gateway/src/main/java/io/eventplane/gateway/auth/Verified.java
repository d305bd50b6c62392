package io.eventplane.gateway.auth;

/**
 * A request whose signature matched: the caller's key, the region and service it signed for, and
 * what a streamed S3 body needs to check its chunk signatures.
 *
 * @param sessionToken {@code X-Amz-Security-Token}, or null for long-term keys
 * @param key what the key lookup found (account, principal)
 * @param payloadHash the payload hash that was signed ({@code x-amz-content-sha256} or the body's)
 */
public record Verified(String accessKeyId, String region, String service, String sessionToken, KeyLookup.Found key,
    String payloadHash, ChunkContext chunks) implements AuthResult {

  /** What chunk signatures chain from: the seed signature, its time, scope and signing key. */
  record ChunkContext(byte[] signingKey, String requestTime, String scope, String seedSignature) {}

  /**
   * A verifier for the {@code aws-chunked} body's chunk signatures when the payload is declared
   * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} or {@code ...-PAYLOAD-TRAILER}; null for any other
   * payload (unsigned chunks, a whole-body hash, UNSIGNED-PAYLOAD).
   */
  public ChunkSignatures chunkSignatures() {
    if (!payloadHash.startsWith(ChunkSignatures.SIGNED_PAYLOAD)) return null;
    if (!payloadHash.equals(ChunkSignatures.SIGNED_PAYLOAD) && !payloadHash.equals(ChunkSignatures.SIGNED_PAYLOAD_TRAILER)) {
      return null;
    }
    return new ChunkSignatures(chunks.signingKey(), chunks.requestTime(), chunks.scope(), chunks.seedSignature(),
        payloadHash.equals(ChunkSignatures.SIGNED_PAYLOAD_TRAILER));
  }
}
