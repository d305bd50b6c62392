package io.eventplane.storage.api;

import io.eventplane.storage.domain.S3Errors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code x-amz-copy-source}: {@code [/]bucket/key[?versionId=...]}, URL-encoded. */
final class CopySource {
  private CopySource() {}

  /** The source's bucket, key and version id (null when none is named). */
  static String[] parse(String header) {
    if (header == null || header.isEmpty()) throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: "
        + "sourcebucket/sourcekey", "x-amz-copy-source", String.valueOf(header));
    String h = header.startsWith("/") ? header.substring(1) : header;
    int q = h.indexOf("?versionId=");
    String versionId = null;
    if (q >= 0) {
      versionId = URLDecoder.decode(h.substring(q + "?versionId=".length()), StandardCharsets.UTF_8);
      h = h.substring(0, q);
    }
    String decoded = URLDecoder.decode(h.replace("+", "%2B"), StandardCharsets.UTF_8);
    int slash = decoded.indexOf('/');
    if (slash <= 0 || slash == decoded.length() - 1) {
      throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
          "x-amz-copy-source", header);
    }
    return new String[] {decoded.substring(0, slash), decoded.substring(slash + 1), versionId};
  }
}
