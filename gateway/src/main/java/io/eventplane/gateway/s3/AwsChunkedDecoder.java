package io.eventplane.gateway.s3;

import io.eventplane.common.stream.BodyFilter;
import io.eventplane.gateway.auth.ChunkSignatures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body as it streams: {@code <hex size>[;chunk-signature=...]\r\n
 * <bytes>\r\n} chunks, a zero-size chunk, then trailer headers ({@code x-amz-checksum-crc32:...})
 * and an empty line. What the SDKs send for {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} and the
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]} variants. Given {@link ChunkSignatures} (a
 * verified request's), each chunk's {@code chunk-signature}, the final chunk's and the trailer's
 * {@code x-amz-trailer-signature} are checked as they complete, and a wrong one fails the stream
 * with {@link SignatureMismatch} before the next chunk's bytes are passed on. Only the decoded bytes
 * reach the handler; a malformed body fails the stream with {@link Malformed}. Chunk headers are
 * bounded, so memory stays bounded.
 */
public final class AwsChunkedDecoder extends BodyFilter {
  private static final int MAX_LINE = 8 * 1024;

  private enum State { SIZE, DATA, DATA_END, TRAILER, DONE }

  private final Map<String, String> trailers = new LinkedHashMap<>();
  private final ChunkSignatures signatures;
  private String chunkSignature;
  private final StringBuilder line = new StringBuilder();
  private State state = State.SIZE;
  private long remaining;
  private int crlfSeen;

  /** The body does not follow the aws-chunked format. */
  public static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** A chunk's or the trailer's signature is not the one the request's signing key gives. */
  public static final class SignatureMismatch extends RuntimeException {
    SignatureMismatch(String message) {
      super(message, null, false, false);
    }
  }

  public AwsChunkedDecoder(ReadStream<Buffer> source) {
    this(source, null);
  }

  /** @param signatures the chunk signature chain to check, or null to check none */
  public AwsChunkedDecoder(ReadStream<Buffer> source, ChunkSignatures signatures) {
    super(source);
    this.signatures = signatures;
  }

  /** The trailer headers, lower-cased names, once the body has ended. */
  public Map<String, String> trailers() {
    return trailers;
  }

  @Override
  protected void onBuffer(Buffer in) {
    int i = 0;
    int n = in.length();
    while (i < n) {
      switch (state) {
        case SIZE, TRAILER -> {
          byte b = in.getByte(i++);
          if (b == '\n') {
            String text = line.toString();
            line.setLength(0);
            if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
            if (state == State.SIZE) chunkHeader(text);
            else trailerLine(text);
          } else {
            if (line.length() >= MAX_LINE) throw new Malformed("a chunk header is too long");
            line.append((char) (b & 0xFF));
          }
        }
        case DATA -> {
          int take = (int) Math.min(remaining, n - i);
          byte[] bytes = in.getBytes(i, i + take);
          i += take;
          remaining -= take;
          if (remaining == 0) {
            state = State.DATA_END;
            crlfSeen = 0;
          }
          if (signatures != null) signatures.update(bytes, 0, bytes.length);
          emit(Buffer.buffer(bytes));
        }
        case DATA_END -> {
          byte b = in.getByte(i++);
          if (crlfSeen == 0 && b == '\r') {
            crlfSeen = 1;
          } else if (b == '\n') {
            endChunk();
            state = State.SIZE;
          } else {
            throw new Malformed("a chunk does not end with CRLF");
          }
        }
        case DONE -> i = n;
      }
    }
  }

  private void chunkHeader(String text) {
    if (text.isEmpty()) throw new Malformed("empty chunk header");
    int semi = text.indexOf(';');
    String hex = (semi < 0 ? text : text.substring(0, semi)).trim();
    long size;
    try {
      size = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new Malformed("bad chunk size: " + hex);
    }
    if (size < 0) throw new Malformed("bad chunk size: " + hex);
    if (signatures != null) {
      int at = semi < 0 ? -1 : text.indexOf("chunk-signature=", semi);
      chunkSignature = at < 0 ? null : text.substring(at + "chunk-signature=".length()).trim();
    }
    if (size == 0) {
      endChunk();
      state = State.TRAILER;
    } else {
      remaining = size;
      state = State.DATA;
    }
  }

  private void endChunk() {
    if (signatures != null && !signatures.endChunk(chunkSignature)) {
      throw new SignatureMismatch("a chunk's signature does not match");
    }
  }

  private void checkTrailer() {
    if (signatures != null && signatures.expectsTrailer()
        && !signatures.verifyTrailer(trailers, trailers.get("x-amz-trailer-signature"))) {
      throw new SignatureMismatch("the trailer's signature does not match");
    }
  }

  private void trailerLine(String text) {
    if (text.isEmpty()) {
      checkTrailer();
      state = State.DONE;
      return;
    }
    int colon = text.indexOf(':');
    if (colon <= 0) throw new Malformed("bad trailer: " + text);
    trailers.put(text.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), text.substring(colon + 1).trim());
  }

  @Override
  protected void onEnd() {
    if (state == State.TRAILER && line.length() > 0) {
      trailerLine(line.toString().replace("\r", ""));
    }
    if (state == State.TRAILER) {
      checkTrailer();
      state = State.DONE;
    }
    if (state != State.DONE) throw new Malformed("the body ended inside a chunk");
  }
}
