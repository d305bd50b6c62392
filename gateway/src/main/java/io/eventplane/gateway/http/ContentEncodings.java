package io.eventplane.gateway.http;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.error.GatewayErrors;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies sent compressed: operations with the {@code requestCompression} trait (CloudWatch's
 * PutMetricData) are gzipped by SDK v2 and botocore once they pass 10 KiB
 * ({@code Content-Encoding: gzip}). The signature covers the compressed bytes, so bodies are decoded
 * after it was checked; the decoded body is held to the same cap as any body.
 */
final class ContentEncodings {
  private ContentEncodings() {}

  /** The body as the service reads it: gunzipped when so encoded, else as it came. */
  static Buffer decode(Buffer body, String contentEncoding, int maxBytes) {
    if (contentEncoding == null || !contentEncoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) return body;
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, body.length() * 4 + 64));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      byte[] chunk = new byte[8192];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        if (out.size() + n > maxBytes) throw new ServiceException(GatewayErrors.requestTooLarge(maxBytes));
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw new ServiceException(ServiceError.sender("InvalidParameterValue", "The request body is not valid gzip: " + e.getMessage()));
    }
    return Buffer.buffer(out.toByteArray());
  }
}
