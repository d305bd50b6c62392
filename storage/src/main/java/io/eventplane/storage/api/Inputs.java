package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.storage.domain.BucketName;
import io.eventplane.storage.domain.S3Errors;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** S3's input rules over the canonical JSON input the gateway decodes. */
final class Inputs {
  /** The representation headers an object keeps, as input members and the header names S3 returns. */
  static final Map<String, String> HEADERS = Map.of("ContentType", "Content-Type", "ContentEncoding", "Content-Encoding",
      "ContentDisposition", "Content-Disposition", "ContentLanguage", "Content-Language", "CacheControl", "Cache-Control",
      "Expires", "Expires", "WebsiteRedirectLocation", "x-amz-website-redirect-location");
  static final long MAX_KEY_BYTES = 1024;

  private Inputs() {}

  static String bucket(JsonObject in) {
    String b = in.getString("Bucket");
    BucketName.require(b);
    return b;
  }

  static String key(JsonObject in) {
    String k = in.getString("Key");
    if (k == null || k.isEmpty()) throw S3Errors.invalidArgument("A key must be given.", "Key", String.valueOf(k));
    if (k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new io.eventplane.common.error.ServiceException("KeyTooLongError", "Your key is too long");
    }
    return k;
  }

  static Blob blob(JsonObject in) {
    JsonObject b = in.getJsonObject("Blob");
    if (b == null) throw new IllegalStateException("the gateway sent no body");
    return Blob.fromJson(b);
  }

  /** The stored representation headers given in the request, by header name. */
  static Map<String, String> headers(JsonObject in) {
    Map<String, String> out = new LinkedHashMap<>();
    HEADERS.forEach((member, header) -> {
      String v = in.getString(member);
      if (v != null) out.put(header, v);
    });
    return out;
  }

  static Map<String, String> metadata(JsonObject in) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject m = in.getJsonObject("Metadata");
    if (m != null) m.forEach(e -> out.put(e.getKey().toLowerCase(java.util.Locale.ROOT), String.valueOf(e.getValue())));
    int size = 0;
    for (Map.Entry<String, String> e : out.entrySet()) size += e.getKey().length() + e.getValue().length();
    if (size > 2048) {
      throw new io.eventplane.common.error.ServiceException("MetadataTooLarge",
          "Your metadata headers exceed the maximum allowed metadata size");
    }
    return out;
  }

  /**
   * The tag set a request gives: {@code Tagging} as the {@code x-amz-tagging} header has it
   * ({@code k1=v1&k2=v2}, URL-encoded) or as the XML body's {@code TagSet}; S3's limits (10 tags,
   * keys of 1-128 and values of 0-256 characters, no key twice) as InvalidTag.
   */
  static Map<String, String> tags(JsonObject in) {
    return tags(in, 10, "Object tags cannot be greater than 10");
  }

  /** A tag set under S3's limits, at most {@code max} tags (an object's 10, a bucket's 50). */
  static Map<String, String> tags(JsonObject in, int max, String tooMany) {
    Map<String, String> out = new LinkedHashMap<>();
    Object given = in.getValue("Tagging");
    if (given == null) return out;
    if (given instanceof String query) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        addTag(out, k, v);
      }
    } else if (given instanceof JsonObject tagging) {
      for (Object o : tagging.getJsonArray("TagSet", new io.vertx.core.json.JsonArray())) {
        JsonObject t = (JsonObject) o;
        if (t.getString("Key") == null) throw S3Errors.malformedXml();
        addTag(out, t.getString("Key"), t.getString("Value", ""));
      }
    }
    if (out.size() > max) throw invalidTag(tooMany);
    return out;
  }

  private static void addTag(Map<String, String> tags, String key, String value) {
    if (key.isEmpty() || key.length() > 128) throw invalidTag("The TagKey you have provided is invalid");
    if (value.length() > 256) throw invalidTag("The TagValue you have provided is invalid");
    if (tags.put(key, value) != null) throw invalidTag("Cannot provide multiple Tags with the same key");
  }

  private static io.eventplane.common.error.ServiceException invalidTag(String message) {
    return new io.eventplane.common.error.ServiceException("InvalidTag", message);
  }

  /** An integer member: InvalidArgument when it is no number or out of range. */
  static int integer(JsonObject in, String member, int min, int max, int absent, String message) {
    Object v = in.getValue(member);
    if (v == null) return absent;
    long n;
    try {
      n = Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument("Provided " + message + " not an integer or within integer range", message, String.valueOf(v));
    }
    if (n < min || n > max) {
      throw S3Errors.invalidArgument("Argument " + message + " must be an integer between " + min + " and " + max, message,
          String.valueOf(v));
    }
    return (int) n;
  }

  /** The checksum the client sent for the body ({@code ChecksumCRC32} and so on), as algorithm and value, or null. */
  static String[] declaredChecksum(JsonObject in) {
    for (String a : new String[] {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}) {
      String v = in.getString("Checksum" + a);
      if (v != null) return new String[] {a, v};
    }
    return null;
  }
}
