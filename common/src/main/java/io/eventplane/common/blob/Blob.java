package io.eventplane.common.blob;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A stored body: its id, size and the digests computed while it was written.
 *
 * @param md5 the MD5 of the bytes (an S3 ETag of a single-part object is its hex form)
 * @param checksumAlgorithm the additional checksum computed ({@code CRC32}, ...), or null
 * @param checksum that checksum, base64, as S3 shows it, or null
 */
public record Blob(String id, long size, byte[] md5, String checksumAlgorithm, String checksum) {
  public Blob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(md5, "md5");
  }

  public String md5Hex() {
    return HexFormat.of().formatHex(md5);
  }

  public String md5Base64() {
    return Base64.getEncoder().encodeToString(md5);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("size", size).put("md5", md5Hex())
        .put("checksumAlgorithm", checksumAlgorithm).put("checksum", checksum);
  }

  public static Blob fromJson(JsonObject j) {
    return new Blob(j.getString("id"), j.getLong("size"), HexFormat.of().parseHex(j.getString("md5")),
        j.getString("checksumAlgorithm"), j.getString("checksum"));
  }
}
